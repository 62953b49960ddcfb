;; Grows memory one page at a time without bound. `grow_until_refused` returns the final page count;
;; `grow_or_die` traps (like an allocator's out-of-memory abort) when growth is refused.
(module
  (memory (export "memory") 1)
  (func (export "grow_until_refused") (result i32)
    (block $done
      (loop $again
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $again)))
    (memory.size))
  (func (export "grow_or_die") (result i32)
    (loop $again
      (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
      (br $again))
    (i32.const 0)))
