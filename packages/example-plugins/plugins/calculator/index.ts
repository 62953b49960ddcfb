// Calculator: numeric entries (plain wasm numbers in and out).

export function add(a: i32, b: i32): i32 {
  return a + b;
}

export function subtract(a: i32, b: i32): i32 {
  return a - b;
}

export function multiply(a: i32, b: i32): i32 {
  return a * b;
}

/** Integer division: dividing by zero traps (the sandbox reports TRAP divide-by-zero). */
export function divide(a: i32, b: i32): i32 {
  return a / b;
}

export function power(base: f64, exponent: f64): f64 {
  return base ** exponent;
}

export function factorial(n: i64): i64 {
  let result: i64 = 1;
  for (let i: i64 = 2; i <= n; i++) result *= i;
  return result;
}
