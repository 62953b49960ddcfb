;; Burns CPU: `spin` never returns; `burn(n)` loops n times and returns n.
(module
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "burn") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $i)))
