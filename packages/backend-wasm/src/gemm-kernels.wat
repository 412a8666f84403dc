;; nntk's matrix product for the wasm backend, as WebAssembly SIMD on tfjs's wasm heap (memory imported from
;; tfjs's module; the placeholder below is replaced by the generator with a shared or a plain memory). All
;; pointers are byte offsets; matrices are float32.
;; Regenerate gemm-kernels-wasm.ts with `pnpm --filter @nntk/backend-wasm run build:kernels`.
;;
;; c[m, n] = a[m, k]·b[k, n] (+ bias[n], then ReLU), with b and c row-major and a read through strides, so a
;; transposed left operand is read in place: a[i, p] lies at a + i·rs + p·cs. Nothing is packed: c is cut into
;; 4 × 8 tiles (8 f32x4 accumulators); for each k step a tile loads two vectors of one row of b and four
;; splatted elements of a column of a (four v128.load32_splat) and does 8 multiply-adds, so b's 8-column strip
;; is read straight from the heap. Each element is one sum over p in order (no k blocking), as tfjs's cpu
;; kernel sums. Strips run column-outer (b's strip, k × 32 bytes, stays in cache while every row of a streams
;; past). The last n mod 8 columns run as 4-column tiles, the last one overlapping the previous strip (its
;; columns are recomputed to the same values), so n must be at least 4; the last m mod 4 rows as 1-row tiles.
(module
  (import "env" "memory" __MEMORY__)

  ;; The product in panels of $mb rows (a multiple of 4): each panel's rows of c are finished, every column
  ;; strip, before the next panel starts, so c is written a panel at a time and that panel's rows of a stay
  ;; in cache across the strips, at the price of reading b once per panel.
  (func (export "gemm")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $rs i32) (param $cs i32) (param $bias i32) (param $flags i32) (param $mb i32)
    (local $i i32) (local $rows i32)
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $rows (i32.sub (local.get $m) (local.get $i)))
        (if (i32.gt_u (local.get $rows) (local.get $mb)) (then (local.set $rows (local.get $mb))))
        (call $panel
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rs)))
          (local.get $b)
          (i32.add (local.get $c) (i32.mul (local.get $i) (i32.shl (local.get $n) (i32.const 2))))
          (local.get $rows) (local.get $k) (local.get $n) (local.get $rs) (local.get $cs) (local.get $bias) (local.get $flags))
        (local.set $i (i32.add (local.get $i) (local.get $mb)))
        (br $panels))))

  ;; Rows [0, m) of c: strips of 8 columns, then of 4.
  (func $panel
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $rs i32) (param $cs i32) (param $bias i32) (param $flags i32)
    (local $row i32) (local $j i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (block $doneWide
      (loop $wide
        (br_if $doneWide (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (call $strip (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $k) (local.get $row)
          (local.get $rs) (local.get $cs) (local.get $bias) (local.get $flags) (local.get $j) (i32.const 1))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $wide)))
    (block $doneNarrow
      (loop $narrow
        (br_if $doneNarrow (i32.ge_u (local.get $j) (local.get $n)))
        ;; min(j, n − 4): the last narrow strip ends at column n.
        (call $strip (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $k) (local.get $row)
          (local.get $rs) (local.get $cs) (local.get $bias) (local.get $flags)
          (select (local.get $j) (i32.sub (local.get $n) (i32.const 4))
            (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
          (i32.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $narrow))))

  ;; Every row of c's strip of 8 ($wide) or 4 columns from column j: 4-row tiles, then single rows.
  (func $strip
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $row i32)
    (param $rs i32) (param $cs i32) (param $bias i32) (param $flags i32) (param $j i32) (param $wide i32)
    (local $i i32) (local $m4 i32) (local $col i32)
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $col (i32.shl (local.get $j) (i32.const 2)))
    (local.set $b (i32.add (local.get $b) (local.get $col)))
    (local.set $c (i32.add (local.get $c) (local.get $col)))
    (local.set $bias (i32.add (local.get $bias) (local.get $col)))
    (block $doneQuads
      (loop $quads
        (br_if $doneQuads (i32.ge_u (local.get $i) (local.get $m4)))
        (if (local.get $wide)
          (then (call $tile4x8 (local.get $a) (local.get $b) (local.get $c) (local.get $k) (local.get $rs)
            (local.get $cs) (local.get $row) (local.get $row) (local.get $bias) (local.get $flags)))
          (else (call $tile4x4 (local.get $a) (local.get $b) (local.get $c) (local.get $k) (local.get $rs)
            (local.get $cs) (local.get $row) (local.get $row) (local.get $bias) (local.get $flags))))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $rs) (i32.const 2))))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $row) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quads)))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_u (local.get $i) (local.get $m)))
        (if (local.get $wide)
          (then (call $tile1x8 (local.get $a) (local.get $b) (local.get $c) (local.get $k) (local.get $rs)
            (local.get $cs) (local.get $row) (local.get $row) (local.get $bias) (local.get $flags)))
          (else (call $tile1x4 (local.get $a) (local.get $b) (local.get $c) (local.get $k) (local.get $rs)
            (local.get $cs) (local.get $row) (local.get $row) (local.get $bias) (local.get $flags))))
        (local.set $a (i32.add (local.get $a) (local.get $rs)))
        (local.set $c (i32.add (local.get $c) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; x < 0 ? 0 : x per lane, tfjs's ReLU (a NaN stays NaN, −0 stays −0).
  (func $relu (param $x v128) (result v128)
    (v128.andnot (local.get $x) (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0))))

  ;; A 4 × 8 tile of c: rows from a (rs bytes apart, k-steps cs bytes apart), 8 columns of b (rows
  ;; bRow bytes apart) from b, stored cRow bytes apart from c; then the epilogue ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile4x8
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128) (local $b0 v128) (local $b1 v128) (local $av v128) (local $end i32) (local $rs2 i32) (local $rs3 i32)
    (local.set $rs2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $rs3 (i32.add (local.get $rs2) (local.get $rs)))
    (local.set $end (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $bRow))))
    (block $empty
    (br_if $empty (i32.eqz (local.get $k)))
    (loop $steps
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $av (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat (i32.add (local.get $a) (local.get $rs))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat (i32.add (local.get $a) (local.get $rs2))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat (i32.add (local.get $a) (local.get $rs3))))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $cs)))
      (local.set $b (i32.add (local.get $b) (local.get $bRow)))
      (br_if $steps (i32.ne (local.get $b) (local.get $end)))))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then
        (local.set $b0 (v128.load offset=0 (local.get $bias)))
        (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
        (local.set $c10 (f32x4.add (local.get $c10) (local.get $b0)))
        (local.set $c20 (f32x4.add (local.get $c20) (local.get $b0)))
        (local.set $c30 (f32x4.add (local.get $c30) (local.get $b0)))
        (local.set $b1 (v128.load offset=16 (local.get $bias)))
        (local.set $c01 (f32x4.add (local.get $c01) (local.get $b1)))
        (local.set $c11 (f32x4.add (local.get $c11) (local.get $b1)))
        (local.set $c21 (f32x4.add (local.get $c21) (local.get $b1)))
        (local.set $c31 (f32x4.add (local.get $c31) (local.get $b1)))
      ))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then
        (local.set $c00 (call $relu (local.get $c00)))
        (local.set $c01 (call $relu (local.get $c01)))
        (local.set $c10 (call $relu (local.get $c10)))
        (local.set $c11 (call $relu (local.get $c11)))
        (local.set $c20 (call $relu (local.get $c20)))
        (local.set $c21 (call $relu (local.get $c21)))
        (local.set $c30 (call $relu (local.get $c30)))
        (local.set $c31 (call $relu (local.get $c31)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31))
  )

  ;; A 1 × 8 tile of c: rows from a (rs bytes apart, k-steps cs bytes apart), 8 columns of b (rows
  ;; bRow bytes apart) from b, stored as one row from c; then the epilogue ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile1x8
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32)
    (local $c00 v128) (local $c01 v128) (local $b0 v128) (local $b1 v128) (local $av v128) (local $end i32)
    (local.set $end (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $bRow))))
    (block $empty
    (br_if $empty (i32.eqz (local.get $k)))
    (loop $steps
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $av (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $cs)))
      (local.set $b (i32.add (local.get $b) (local.get $bRow)))
      (br_if $steps (i32.ne (local.get $b) (local.get $end)))))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then
        (local.set $b0 (v128.load offset=0 (local.get $bias)))
        (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
        (local.set $b1 (v128.load offset=16 (local.get $bias)))
        (local.set $c01 (f32x4.add (local.get $c01) (local.get $b1)))
      ))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then
        (local.set $c00 (call $relu (local.get $c00)))
        (local.set $c01 (call $relu (local.get $c01)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
  )

  ;; A 4 × 4 tile of c: rows from a (rs bytes apart, k-steps cs bytes apart), 4 columns of b (rows
  ;; bRow bytes apart) from b, stored cRow bytes apart from c; then the epilogue ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile4x4
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128) (local $b0 v128) (local $av v128) (local $end i32) (local $rs2 i32) (local $rs3 i32)
    (local.set $rs2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $rs3 (i32.add (local.get $rs2) (local.get $rs)))
    (local.set $end (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $bRow))))
    (block $empty
    (br_if $empty (i32.eqz (local.get $k)))
    (loop $steps
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $av (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $av (v128.load32_splat (i32.add (local.get $a) (local.get $rs))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $av (v128.load32_splat (i32.add (local.get $a) (local.get $rs2))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $av (v128.load32_splat (i32.add (local.get $a) (local.get $rs3))))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $cs)))
      (local.set $b (i32.add (local.get $b) (local.get $bRow)))
      (br_if $steps (i32.ne (local.get $b) (local.get $end)))))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then
        (local.set $b0 (v128.load offset=0 (local.get $bias)))
        (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
        (local.set $c10 (f32x4.add (local.get $c10) (local.get $b0)))
        (local.set $c20 (f32x4.add (local.get $c20) (local.get $b0)))
        (local.set $c30 (f32x4.add (local.get $c30) (local.get $b0)))
      ))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then
        (local.set $c00 (call $relu (local.get $c00)))
        (local.set $c10 (call $relu (local.get $c10)))
        (local.set $c20 (call $relu (local.get $c20)))
        (local.set $c30 (call $relu (local.get $c30)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c10))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c20))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store offset=0 (local.get $c) (local.get $c30))
  )

  ;; A 1 × 4 tile of c: rows from a (rs bytes apart, k-steps cs bytes apart), 4 columns of b (rows
  ;; bRow bytes apart) from b, stored as one row from c; then the epilogue ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile1x4
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32)
    (local $c00 v128) (local $b0 v128) (local $av v128) (local $end i32)
    (local.set $end (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $bRow))))
    (block $empty
    (br_if $empty (i32.eqz (local.get $k)))
    (loop $steps
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $av (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $cs)))
      (local.set $b (i32.add (local.get $b) (local.get $bRow)))
      (br_if $steps (i32.ne (local.get $b) (local.get $end)))))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then
        (local.set $b0 (v128.load offset=0 (local.get $bias)))
        (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
      ))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then
        (local.set $c00 (call $relu (local.get $c00)))
      ))
    (v128.store offset=0 (local.get $c) (local.get $c00))
  )
)
