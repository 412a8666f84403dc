;; nntk's fused training kernels for the wasm backend, as WebAssembly SIMD on tfjs's wasm heap (memory imported
;; from tfjs's module; the placeholder below is replaced by the generator with a shared or a plain memory).
;; All pointers are byte offsets; tensors are row-major float32.
;; Regenerate fused-kernels-wasm.ts with `pnpm --filter @nntk/core run build:fused-kernels`.
(module
  (import "env" "memory" __MEMORY__)

  ;; The backward pass of `relu(x·W + b)` (or of a convolution's) below the matmul, in one pass over `[rows, cols]`:
  ;; dz = y ≤ 0 ? 0 : dy (PyTorch's threshold_backward on the output y = relu(z): y > 0 exactly where z > 0, and
  ;; a NaN passes dy) and the bias gradient db[c] = Σ_r dz[r, c], accumulated in float64 in `acc` (8·cols bytes of
  ;; scratch), then rounded once. Four columns at a time (f32x4 compare and mask, two f64x2 accumulators), the
  ;; cols mod 4 remainder one at a time.
  (func (export "reluBiasGrad")
    (param $y i32) (param $dy i32) (param $dz i32) (param $db i32) (param $acc i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $vectorCols i32) (local $z v128) (local $at i32) (local $v f32)
    (local.set $vectorCols (i32.and (local.get $cols) (i32.const -4)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $cols) (i32.const 3)))
    (block $doneRows
      (loop $rowsLoop
        (br_if $doneRows (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $doneVectors
          (loop $vectors
            (br_if $doneVectors (i32.ge_u (local.get $c) (local.get $vectorCols)))
            (local.set $z (v128.andnot (v128.load (local.get $dy))
              (f32x4.le (v128.load (local.get $y)) (v128.const f32x4 0 0 0 0))))
            (v128.store (local.get $dz) (local.get $z))
            (local.set $at (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (v128.store (local.get $at)
              (f64x2.add (v128.load (local.get $at)) (f64x2.promote_low_f32x4 (local.get $z))))
            (v128.store offset=16 (local.get $at)
              (f64x2.add (v128.load offset=16 (local.get $at)) (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z) (local.get $z)))))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $dz (i32.add (local.get $dz) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
        (block $doneScalars
          (loop $scalars
            (br_if $doneScalars (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $v (select (f32.const 0) (f32.load (local.get $dy)) (f32.le (f32.load (local.get $y)) (f32.const 0))))
            (f32.store (local.get $dz) (local.get $v))
            (local.set $at (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.promote_f32 (local.get $v))))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
            (local.set $dz (i32.add (local.get $dz) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $scalars)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop)))
    (local.set $c (i32.const 0))
    (block $doneBias
      (loop $bias
        (br_if $doneBias (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2)))
          (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $bias))))
)
