;; nntk's matrix product for the wasm backend, as WebAssembly SIMD on tfjs's wasm heap (memory imported from
;; tfjs's module; the placeholder below is replaced by the generator with a shared or a plain memory). All
;; pointers are byte offsets; matrices are float32.
;; Regenerate gemm-kernels-wasm.ts with `pnpm --filter @nntk/backend-wasm run build:kernels`.
;;
;; c[m, n] = a[m, k]·b[k, n] (+ bias[n], then ReLU), with b and c row-major and a read through strides, so a
;; transposed left operand is read in place: a[i, p] lies at a + i·rs + p·cs. Nothing is packed: c is cut into
;; 4 × 8 tiles (8 f32x4 accumulators); for each k step a tile loads two vectors of one row of b and four
;; splatted elements of a column of a (four v128.load32_splat) and does 8 multiply-adds, so b's 8-column strip
;; is read straight from the heap. Each element is one sum over p in order, as tfjs's cpu kernel sums (k is
;; cut into blocks, which continue the sum stored in c). Strips run column-outer (b's strip, k × 32 bytes, stays in cache while every row of a streams
;; past). The last n mod 8 columns run as 4-column tiles, the last one overlapping the previous strip (it
;; stores only its own lanes); fewer than 4 columns one element at a time; the last m mod 4 rows as 1-row
;; tiles.
(module
  (import "env" "memory" __MEMORY__)

  ;; The product in blocks of $kc steps of k and, within each, panels of $mb rows (a multiple of 4): a block
  ;; adds its part of the sum to c (flag 4, from the second block on) and the last one applies the epilogue,
  ;; so each element is still one float32 sum over p in order. A block's column strip of b (kc rows) stays in
  ;; cache across a panel's rows, and a panel's rows of c are finished, strip by strip, before the next.
  (func (export "gemm")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $rs i32) (param $cs i32) (param $bias i32) (param $flags i32) (param $mb i32) (param $kc i32)
    (local $p i32) (local $steps i32) (local $blockFlags i32) (local $i i32) (local $rows i32)
    (loop $blocks
      (local.set $steps (i32.sub (local.get $k) (local.get $p)))
      (if (i32.gt_u (local.get $steps) (local.get $kc)) (then (local.set $steps (local.get $kc))))
      (local.set $blockFlags (i32.or
        (select (i32.const 4) (i32.const 0) (local.get $p))
        (select (local.get $flags) (i32.const 0) (i32.eq (i32.add (local.get $p) (local.get $steps)) (local.get $k)))))
      (local.set $i (i32.const 0))
      (block $done
        (loop $panels
          (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $rows (i32.sub (local.get $m) (local.get $i)))
          (if (i32.gt_u (local.get $rows) (local.get $mb)) (then (local.set $rows (local.get $mb))))
          (call $panel
            (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rs))) (i32.mul (local.get $p) (local.get $cs)))
            (i32.add (local.get $b) (i32.mul (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
            (i32.add (local.get $c) (i32.mul (local.get $i) (i32.shl (local.get $n) (i32.const 2))))
            (local.get $rows) (local.get $steps) (local.get $n) (local.get $rs) (local.get $cs) (local.get $bias)
            (local.get $blockFlags))
          (local.set $i (i32.add (local.get $i) (local.get $mb)))
          (br $panels)))
      (local.set $p (i32.add (local.get $p) (local.get $steps)))
      (br_if $blocks (i32.lt_u (local.get $p) (local.get $k)))))

  ;; Rows [0, m) of c: strips of 8 columns, then of 4.
  (func $panel
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $rs i32) (param $cs i32) (param $bias i32) (param $flags i32)
    (local $row i32) (local $j i32) (local $at i32) (local $i i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (if (i32.lt_u (local.get $n) (i32.const 4))
      (then
        ;; Fewer than 4 columns: one scalar sum per element.
        (block $doneRows
          (loop $rows
            (br_if $doneRows (i32.ge_u (local.get $i) (local.get $m)))
            (local.set $j (i32.const 0))
            (loop $cols
              (call $tile1x1
                (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rs)))
                (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
                (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $row))) (i32.shl (local.get $j) (i32.const 2)))
                (local.get $k) (local.get $cs) (local.get $row)
                (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))) (local.get $flags))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $cols (i32.lt_u (local.get $j) (local.get $n))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (return)))
    (block $doneWide
      (loop $wide
        (br_if $doneWide (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (call $strip (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $k) (local.get $row)
          (local.get $rs) (local.get $cs) (local.get $bias) (local.get $flags) (local.get $j) (i32.const 1)
          (v128.const i32x4 -1 -1 -1 -1))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $wide)))
    (block $doneNarrow
      (loop $narrow
        (br_if $doneNarrow (i32.ge_u (local.get $j) (local.get $n)))
        ;; min(j, n − 4): the last narrow strip ends at column n and stores only its lanes from column j on
        ;; (the ones before belong to the previous strip, which within a k block has already added to them).
        (local.set $at (select (local.get $j) (i32.sub (local.get $n) (i32.const 4))
          (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n))))
        (call $strip (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $k) (local.get $row)
          (local.get $rs) (local.get $cs) (local.get $bias) (local.get $flags) (local.get $at) (i32.const 0)
          (i32x4.ge_s (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.sub (local.get $j) (local.get $at)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $narrow))))

  ;; Every row of c's strip of 8 ($wide) or 4 columns from column j: 4-row tiles, then single rows.
  (func $strip
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $row i32)
    (param $rs i32) (param $cs i32) (param $bias i32) (param $flags i32) (param $j i32) (param $wide i32)
    (param $mask v128)
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
            (local.get $cs) (local.get $row) (local.get $row) (local.get $bias) (local.get $flags) (local.get $mask))))
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
            (local.get $cs) (local.get $row) (local.get $row) (local.get $bias) (local.get $flags) (local.get $mask))))
        (local.set $a (i32.add (local.get $a) (local.get $rs)))
        (local.set $c (i32.add (local.get $c) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; One element of c: the sum over k steps of a (cs bytes apart) times a column of b (bRow bytes apart), from
  ;; c's value if $flags has 4, then the epilogue, as the vector tiles do lane by lane.
  (func $tile1x1
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $cs i32) (param $bRow i32)
    (param $bias i32) (param $flags i32)
    (local $sum f32) (local $end i32)
    (if (i32.and (local.get $flags) (i32.const 4)) (then (local.set $sum (f32.load (local.get $c)))))
    (local.set $end (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $bRow))))
    (block $empty
      (br_if $empty (i32.eqz (local.get $k)))
      (loop $steps
        (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (local.get $cs)))
        (local.set $b (i32.add (local.get $b) (local.get $bRow)))
        (br_if $steps (i32.ne (local.get $b) (local.get $end)))))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then (local.set $sum (f32.add (local.get $sum) (f32.load (local.get $bias))))))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then (local.set $sum (select (f32.const 0) (local.get $sum) (f32.lt (local.get $sum) (f32.const 0))))))
    (f32.store (local.get $c) (local.get $sum)))

  ;; x < 0 ? 0 : x per lane, tfjs's ReLU (a NaN stays NaN, −0 stays −0).
  (func $relu (param $x v128) (result v128)
    (v128.andnot (local.get $x) (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0))))

  ;; A 4 × 8 tile of c: rows from a (rs bytes apart, k-steps cs bytes apart), 8 columns of b (rows
  ;; bRow bytes apart) from b, stored cRow bytes apart from c; starting from c's values if $flags has 4, then the epilogue
  ;; ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile4x8
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128) (local $b0 v128) (local $b1 v128) (local $av v128) (local $end i32) (local $rs2 i32) (local $rs3 i32)
    (local.set $rs2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $rs3 (i32.add (local.get $rs2) (local.get $rs)))
    (if (i32.and (local.get $flags) (i32.const 4))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
        (local.set $c10 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 1)))))
        (local.set $c11 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 1)))))
        (local.set $c20 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 2)))))
        (local.set $c21 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 2)))))
        (local.set $c30 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 3)))))
        (local.set $c31 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 3)))))
      ))
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
  ;; bRow bytes apart) from b, stored as one row from c; starting from c's values if $flags has 4, then the epilogue
  ;; ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile1x8
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32)
    (local $c00 v128) (local $c01 v128) (local $b0 v128) (local $b1 v128) (local $av v128) (local $end i32)
    (if (i32.and (local.get $flags) (i32.const 4))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
      ))
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
  ;; (Only the lanes set in $mask are stored: the last narrow strip overlaps the one before it.)
  ;; bRow bytes apart) from b, stored cRow bytes apart from c; starting from c's values if $flags has 4, then the epilogue
  ;; ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile4x4
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32) (param $mask v128)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128) (local $b0 v128) (local $av v128) (local $end i32) (local $rs2 i32) (local $rs3 i32)
    (local.set $rs2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $rs3 (i32.add (local.get $rs2) (local.get $rs)))
    (if (i32.and (local.get $flags) (i32.const 4))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $c)))
        (local.set $c10 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 1)))))
        (local.set $c20 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 2)))))
        (local.set $c30 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (local.get $cRow) (i32.const 3)))))
      ))
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
    (v128.store (local.get $c) (v128.bitselect (local.get $c00) (v128.load (local.get $c)) (local.get $mask)))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store (local.get $c) (v128.bitselect (local.get $c10) (v128.load (local.get $c)) (local.get $mask)))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store (local.get $c) (v128.bitselect (local.get $c20) (v128.load (local.get $c)) (local.get $mask)))
    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
    (v128.store (local.get $c) (v128.bitselect (local.get $c30) (v128.load (local.get $c)) (local.get $mask)))
  )

  ;; A 1 × 4 tile of c: rows from a (rs bytes apart, k-steps cs bytes apart), 4 columns of b (rows
  ;; (Only the lanes set in $mask are stored: the last narrow strip overlaps the one before it.)
  ;; bRow bytes apart) from b, stored as one row from c; starting from c's values if $flags has 4, then the epilogue
  ;; ($flags: 1 bias from $bias, 2 ReLU).
  (func $tile1x4
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rs i32) (param $cs i32)
    (param $bRow i32) (param $cRow i32) (param $bias i32) (param $flags i32) (param $mask v128)
    (local $c00 v128) (local $b0 v128) (local $av v128) (local $end i32)
    (if (i32.and (local.get $flags) (i32.const 4))
      (then
        (local.set $c00 (v128.load offset=0 (local.get $c)))
      ))
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
    (v128.store (local.get $c) (v128.bitselect (local.get $c00) (v128.load (local.get $c)) (local.get $mask)))
  )
)
