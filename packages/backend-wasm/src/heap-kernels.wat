;; nntk's wasm-backend kernels that cannot be built from XNNPACK operations, as WebAssembly (SIMD where it pays),
;; run on tfjs's wasm heap. The memory is imported from tfjs's wasm module; the placeholder below is replaced by
;; the generator with a shared (threaded build) or a plain (single-threaded build) memory import. All pointers
;; are byte offsets; tensors are NHWC float32.
;; Regenerate heap-kernels-wasm.ts with `pnpm --filter @nntk/core run build:kernels`.
(module
  (import "env" "memory" __MEMORY__)

  ;; The max-pool gradient: dx = 0, then for every window and channel, dx[argmax] += dy, where argmax is the
  ;; first maximal element of the window in row-major order (strict >, so ties and NaNs keep the earlier one).
  ;; Channels run four at a time (f32x4 compare and select), the c mod 4 remainder one at a time. Windows that
  ;; do not overlap (stride ≥ window) are written whole with vector stores instead of four scalar additions.
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $n i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (local $b i32) (local $i i32) (local $j i32) (local $r i32) (local $col i32)
    (local $r0 i32) (local $r1 i32) (local $c0 i32) (local $c1 i32)
    (local $pixelBytes i32) (local $rowBytes i32) (local $vectorBytes i32) (local $toDx i32)
    (local $g i32) (local $window i32) (local $channel i32) (local $rowAt i32) (local $at i32) (local $bestAt i32)
    (local $best v128) (local $bestIdx v128) (local $value v128) (local $wins v128) (local $grad v128)
    (local $bestScalar f32) (local $valueScalar f32) (local $disjoint i32)
    (local.set $disjoint (i32.and (i32.ge_s (local.get $sh) (local.get $fh)) (i32.ge_s (local.get $sw) (local.get $fw))))
    (local.set $pixelBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $w) (local.get $pixelBytes)))
    (local.set $vectorBytes (i32.and (local.get $pixelBytes) (i32.const -16)))
    (local.set $toDx (i32.sub (local.get $dx) (local.get $x)))
    (memory.fill (local.get $dx) (i32.const 0)
      (i32.mul (i32.mul (local.get $n) (local.get $h)) (local.get $rowBytes)))
    (local.set $g (local.get $dy))
    (local.set $b (i32.const 0))
    (loop $batch
      (local.set $i (i32.const 0))
      (loop $rows
        ;; The window's rows clipped to the input: [r0, r1).
        (local.set $r0 (i32.sub (i32.mul (local.get $i) (local.get $sh)) (local.get $top)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $fh)))
        (if (i32.lt_s (local.get $r0) (i32.const 0)) (then (local.set $r0 (i32.const 0))))
        (if (i32.gt_s (local.get $r1) (local.get $h)) (then (local.set $r1 (local.get $h))))
        (local.set $j (i32.const 0))
        (loop $cols
          (local.set $c0 (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)))
          (local.set $c1 (i32.add (local.get $c0) (local.get $fw)))
          (if (i32.lt_s (local.get $c0) (i32.const 0)) (then (local.set $c0 (i32.const 0))))
          (if (i32.gt_s (local.get $c1) (local.get $w)) (then (local.set $c1 (local.get $w))))
          (if (i32.and (i32.lt_s (local.get $r0) (local.get $r1)) (i32.lt_s (local.get $c0) (local.get $c1)))
            (then
              ;; The address of channel 0 of the window's first element.
              (local.set $window (i32.add (local.get $x) (i32.add
                (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $r0)) (local.get $rowBytes))
                (i32.mul (local.get $c0) (local.get $pixelBytes)))))
              (local.set $channel (i32.const 0))
              (block $doneVectors
                (loop $vectors
                  (br_if $doneVectors (i32.ge_u (local.get $channel) (local.get $vectorBytes)))
                  ;; Seed with the window's first element, then scan it all (the seed never beats itself).
                  (local.set $bestAt (i32.add (local.get $window) (local.get $channel)))
                  (local.set $best (v128.load (local.get $bestAt)))
                  (local.set $bestIdx (i32x4.add (i32x4.splat (local.get $bestAt)) (v128.const i32x4 0 4 8 12)))
                  (local.set $rowAt (local.get $bestAt))
                  (local.set $r (local.get $r0))
                  (loop $windowRows
                    (local.set $at (local.get $rowAt))
                    (local.set $col (local.get $c0))
                    (loop $windowCols
                      (local.set $value (v128.load (local.get $at)))
                      (local.set $wins (f32x4.gt (local.get $value) (local.get $best)))
                      (local.set $best (v128.bitselect (local.get $value) (local.get $best) (local.get $wins)))
                      (local.set $bestIdx (v128.bitselect
                        (i32x4.add (i32x4.splat (local.get $at)) (v128.const i32x4 0 4 8 12))
                        (local.get $bestIdx) (local.get $wins)))
                      (local.set $at (i32.add (local.get $at) (local.get $pixelBytes)))
                      (local.set $col (i32.add (local.get $col) (i32.const 1)))
                      (br_if $windowCols (i32.lt_s (local.get $col) (local.get $c1))))
                    (local.set $rowAt (i32.add (local.get $rowAt) (local.get $rowBytes)))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br_if $windowRows (i32.lt_s (local.get $r) (local.get $r1))))
                  (local.set $grad (v128.load (i32.add (local.get $g) (local.get $channel))))
                  (if (local.get $disjoint)
                    (then
                      ;; Windows do not overlap, so each dx element has one writer: store the window whole,
                      ;; the gradient where the element is the argmax and zero elsewhere.
                      (local.set $rowAt (i32.add (local.get $window) (local.get $channel)))
                      (local.set $r (local.get $r0))
                      (loop $storeRows
                        (local.set $at (local.get $rowAt))
                        (local.set $col (local.get $c0))
                        (loop $storeCols
                          (v128.store (i32.add (local.get $at) (local.get $toDx))
                            (v128.and (local.get $grad) (i32x4.eq (local.get $bestIdx)
                              (i32x4.add (i32x4.splat (local.get $at)) (v128.const i32x4 0 4 8 12)))))
                          (local.set $at (i32.add (local.get $at) (local.get $pixelBytes)))
                          (local.set $col (i32.add (local.get $col) (i32.const 1)))
                          (br_if $storeCols (i32.lt_s (local.get $col) (local.get $c1))))
                        (local.set $rowAt (i32.add (local.get $rowAt) (local.get $rowBytes)))
                        (local.set $r (i32.add (local.get $r) (i32.const 1)))
                        (br_if $storeRows (i32.lt_s (local.get $r) (local.get $r1)))))
                    (else
                      (local.set $bestIdx (i32x4.add (local.get $bestIdx) (i32x4.splat (local.get $toDx))))
                      (call $accumulate (i32x4.extract_lane 0 (local.get $bestIdx)) (f32x4.extract_lane 0 (local.get $grad)))
                      (call $accumulate (i32x4.extract_lane 1 (local.get $bestIdx)) (f32x4.extract_lane 1 (local.get $grad)))
                      (call $accumulate (i32x4.extract_lane 2 (local.get $bestIdx)) (f32x4.extract_lane 2 (local.get $grad)))
                      (call $accumulate (i32x4.extract_lane 3 (local.get $bestIdx)) (f32x4.extract_lane 3 (local.get $grad)))))
                  (local.set $channel (i32.add (local.get $channel) (i32.const 16)))
                  (br $vectors)))
              (block $doneScalars
                (loop $scalars
                  (br_if $doneScalars (i32.ge_u (local.get $channel) (local.get $pixelBytes)))
                  (local.set $bestAt (i32.add (local.get $window) (local.get $channel)))
                  (local.set $bestScalar (f32.load (local.get $bestAt)))
                  (local.set $rowAt (local.get $bestAt))
                  (local.set $r (local.get $r0))
                  (loop $scalarRows
                    (local.set $at (local.get $rowAt))
                    (local.set $col (local.get $c0))
                    (loop $scalarCols
                      (local.set $valueScalar (f32.load (local.get $at)))
                      (if (f32.gt (local.get $valueScalar) (local.get $bestScalar))
                        (then
                          (local.set $bestScalar (local.get $valueScalar))
                          (local.set $bestAt (local.get $at))))
                      (local.set $at (i32.add (local.get $at) (local.get $pixelBytes)))
                      (local.set $col (i32.add (local.get $col) (i32.const 1)))
                      (br_if $scalarCols (i32.lt_s (local.get $col) (local.get $c1))))
                    (local.set $rowAt (i32.add (local.get $rowAt) (local.get $rowBytes)))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br_if $scalarRows (i32.lt_s (local.get $r) (local.get $r1))))
                  (call $accumulate (i32.add (local.get $bestAt) (local.get $toDx))
                    (f32.load (i32.add (local.get $g) (local.get $channel))))
                  (local.set $channel (i32.add (local.get $channel) (i32.const 4)))
                  (br $scalars)))))
          (local.set $g (i32.add (local.get $g) (local.get $pixelBytes)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $cols (i32.lt_s (local.get $j) (local.get $ow))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $rows (i32.lt_s (local.get $i) (local.get $oh))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batch (i32.lt_s (local.get $b) (local.get $n)))))

  ;; The ReLU gradient in one pass, PyTorch's rule: dx = x ≤ 0 ? 0 : dy for n floats (a NaN input passes dy).
  (func (export "reluGrad") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $vectorEnd i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $doneVectors
      (loop $vectors
        (br_if $doneVectors (i32.ge_u (local.get $x) (local.get $vectorEnd)))
        (v128.store (local.get $dx)
          (v128.andnot (v128.load (local.get $dy)) (f32x4.le (v128.load (local.get $x)) (v128.const f32x4 0 0 0 0))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (br $vectors)))
    (block $done
      (loop $scalars
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (f32.store (local.get $dx)
          (select (f32.const 0) (f32.load (local.get $dy)) (f32.le (f32.load (local.get $x)) (f32.const 0))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
        (br $scalars))))

  ;; The convolution patches of x, transposed: out[(u·kw + v)·c + ch, (b·oh + i)·ow + j] = x[b, i·sh + u − top,
  ;; j·sw + v − left, ch], zero outside x. Times dy as an [n·oh·ow, co] matrix this is the filter gradient, one
  ;; matmul on XNNPACK with the small dy as its weights. Four channels at a time: four pixels' channel vectors
  ;; are transposed in registers into four output rows, every output row written sequentially.
  (func (export "patchesTransposed")
    (param $x i32) (param $out i32)
    (param $n i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (local $b i32) (local $u i32) (local $v i32) (local $i i32) (local $ch i32) (local $lanes i32)
    (local $row i32) (local $jStart i32) (local $jEnd i32) (local $outRowBytes i32) (local $pixelBytes i32)
    (local $step i32) (local $first i32) (local $dst i32)
    (local.set $outRowBytes (i32.shl (i32.mul (i32.mul (local.get $n) (local.get $oh)) (local.get $ow)) (i32.const 2)))
    (local.set $pixelBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $step (i32.mul (local.get $sw) (local.get $pixelBytes)))
    (local.set $b (i32.const 0))
    (loop $batch
      (local.set $u (i32.const 0))
      (loop $patchRows
        (local.set $v (i32.const 0))
        (loop $patchCols
          ;; Columns j with 0 ≤ j·sw + v − left < w are copied, the rest are padding: [jStart, jEnd).
          (local.set $jStart (i32.const 0))
          (if (i32.gt_s (i32.sub (local.get $left) (local.get $v)) (i32.const 0))
            (then (local.set $jStart (i32.div_s
              (i32.add (i32.sub (local.get $left) (local.get $v)) (i32.sub (local.get $sw) (i32.const 1)))
              (local.get $sw)))))
          (local.set $jEnd (i32.div_s
            (i32.add (i32.sub (i32.sub (local.get $w) (local.get $v)) (i32.const 1))
              (i32.add (local.get $left) (local.get $sw)))
            (local.get $sw)))
          (if (i32.gt_s (local.get $jEnd) (local.get $ow)) (then (local.set $jEnd (local.get $ow))))
          (if (i32.gt_s (local.get $jStart) (local.get $jEnd)) (then (local.set $jStart (local.get $jEnd))))
          (local.set $ch (i32.const 0))
          (loop $channels
            ;; Four channels at a time while four remain, then one.
            (local.set $lanes (select (i32.const 4) (i32.const 1)
              (i32.le_s (i32.add (local.get $ch) (i32.const 4)) (local.get $c))))
            (local.set $i (i32.const 0))
            (loop $rows
              ;; Output row (u·kw + v)·c + ch, column (b·oh + i)·ow.
              (local.set $dst (i32.add (local.get $out) (i32.add
                (i32.mul
                  (i32.add (i32.mul (i32.add (i32.mul (local.get $u) (local.get $kw)) (local.get $v)) (local.get $c))
                    (local.get $ch))
                  (local.get $outRowBytes))
                (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $i)) (local.get $ow))
                  (i32.const 2)))))
              (local.set $row (i32.sub (i32.add (i32.mul (local.get $i) (local.get $sh)) (local.get $u)) (local.get $top)))
              (if (i32.and (i32.ge_s (local.get $row) (i32.const 0)) (i32.lt_s (local.get $row) (local.get $h)))
                (then
                  (call $zeroRows (local.get $dst) (local.get $outRowBytes) (local.get $lanes) (local.get $jStart))
                  ;; x[b, row, jStart·sw + v − left, ch]
                  (local.set $first (i32.add (local.get $x) (i32.add
                    (i32.mul
                      (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $row)) (local.get $w))
                        (i32.sub (i32.add (i32.mul (local.get $jStart) (local.get $sw)) (local.get $v)) (local.get $left)))
                      (local.get $pixelBytes))
                    (i32.shl (local.get $ch) (i32.const 2)))))
                  (if (i32.eq (local.get $lanes) (i32.const 4))
                    (then (call $transposeRun (local.get $first) (local.get $step)
                      (i32.add (local.get $dst) (i32.shl (local.get $jStart) (i32.const 2))) (local.get $outRowBytes)
                      (i32.sub (local.get $jEnd) (local.get $jStart))))
                    (else (call $gatherRun (local.get $first) (local.get $step)
                      (i32.add (local.get $dst) (i32.shl (local.get $jStart) (i32.const 2)))
                      (i32.sub (local.get $jEnd) (local.get $jStart)))))
                  (call $zeroRows (i32.add (local.get $dst) (i32.shl (local.get $jEnd) (i32.const 2)))
                    (local.get $outRowBytes) (local.get $lanes) (i32.sub (local.get $ow) (local.get $jEnd))))
                (else (call $zeroRows (local.get $dst) (local.get $outRowBytes) (local.get $lanes) (local.get $ow))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $rows (i32.lt_s (local.get $i) (local.get $oh))))
            (local.set $ch (i32.add (local.get $ch) (local.get $lanes)))
            (br_if $channels (i32.lt_s (local.get $ch) (local.get $c))))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $patchCols (i32.lt_s (local.get $v) (local.get $kw))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br_if $patchRows (i32.lt_s (local.get $u) (local.get $kh))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batch (i32.lt_s (local.get $b) (local.get $n)))))

  ;; count pixels (step bytes apart) of four channels from src into four output rows (rowBytes apart) from
  ;; dst: 4 × 4 blocks transposed in registers, then the last count mod 4 pixels lane by lane.
  (func $transposeRun (param $src i32) (param $step i32) (param $dst i32) (param $rowBytes i32) (param $count i32)
    (local $pixel v128)
    (block $doneBlocks
      (loop $blocks
        (br_if $doneBlocks (i32.lt_s (local.get $count) (i32.const 4)))
        (call $storeTransposed (local.get $dst) (local.get $rowBytes)
          (v128.load (local.get $src))
          (v128.load (i32.add (local.get $src) (local.get $step)))
          (v128.load (i32.add (local.get $src) (i32.shl (local.get $step) (i32.const 1))))
          (v128.load (i32.add (local.get $src) (i32.mul (local.get $step) (i32.const 3)))))
        (local.set $src (i32.add (local.get $src) (i32.shl (local.get $step) (i32.const 2))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $count (i32.sub (local.get $count) (i32.const 4)))
        (br $blocks)))
    (block $done
      (loop $pixels
        (br_if $done (i32.le_s (local.get $count) (i32.const 0)))
        (local.set $pixel (v128.load (local.get $src)))
        (f32.store (local.get $dst) (f32x4.extract_lane 0 (local.get $pixel)))
        (f32.store (i32.add (local.get $dst) (local.get $rowBytes)) (f32x4.extract_lane 1 (local.get $pixel)))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $rowBytes) (i32.const 1)))
          (f32x4.extract_lane 2 (local.get $pixel)))
        (f32.store (i32.add (local.get $dst) (i32.mul (local.get $rowBytes) (i32.const 3)))
          (f32x4.extract_lane 3 (local.get $pixel)))
        (local.set $src (i32.add (local.get $src) (local.get $step)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $pixels))))

  ;; count floats step bytes apart from src, stored contiguously from dst.
  (func $gatherRun (param $src i32) (param $step i32) (param $dst i32) (param $count i32)
    (block $done
      (loop $floats
        (br_if $done (i32.le_s (local.get $count) (i32.const 0)))
        (f32.store (local.get $dst) (f32.load (local.get $src)))
        (local.set $src (i32.add (local.get $src) (local.get $step)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $floats))))

  ;; count zeros from dst in each of `rows` rows rowBytes apart.
  (func $zeroRows (param $dst i32) (param $rowBytes i32) (param $rows i32) (param $count i32)
    (if (i32.le_s (local.get $count) (i32.const 0)) (then (return)))
    (block $done
      (loop $each
        (br_if $done (i32.le_s (local.get $rows) (i32.const 0)))
        (call $zeros (local.get $dst) (local.get $count))
        (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $each))))

  ;; c[m, n] = a[m, k]·b[k, n] for a small c and a long k (a first layer's filter gradient: m = kh·kw·ci, n = co);
  ;; n must be a multiple of 16. XNNPACK repacks its right operand on every call, which costs more than this
  ;; whole product when m·n is small. Sixteen columns of one row accumulate in four registers over blocks of 256
  ;; k, so b streams through once per block.
  (func (export "gemmSmall") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (local $k0 i32) (local $k1 i32) (local $row i32) (local $col i32) (local $cAt i32) (local $aAt i32) (local $aEnd i32)
    (local $bAt i32) (local $bRowBytes i32) (local $scale v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (memory.fill (local.get $c) (i32.const 0) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2)))
    (local.set $bRowBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $doneBlocks
      (loop $blocks
        (br_if $doneBlocks (i32.ge_u (local.get $k0) (local.get $k)))
        (local.set $k1 (select (local.get $k) (i32.add (local.get $k0) (i32.const 256))
          (i32.lt_u (local.get $k) (i32.add (local.get $k0) (i32.const 256)))))
        (local.set $row (i32.const 0))
        (block $doneRows
          (loop $rows
            (br_if $doneRows (i32.ge_u (local.get $row) (local.get $m)))
            (local.set $col (i32.const 0))
            (block $doneCols
              (loop $cols
                (br_if $doneCols (i32.ge_u (local.get $col) (local.get $n)))
                (local.set $cAt (i32.add (local.get $c)
                  (i32.shl (i32.add (i32.mul (local.get $row) (local.get $n)) (local.get $col)) (i32.const 2))))
                (local.set $acc0 (v128.load (local.get $cAt)))
                (local.set $acc1 (v128.load offset=16 (local.get $cAt)))
                (local.set $acc2 (v128.load offset=32 (local.get $cAt)))
                (local.set $acc3 (v128.load offset=48 (local.get $cAt)))
                (local.set $aAt (i32.add (local.get $a)
                  (i32.shl (i32.add (i32.mul (local.get $row) (local.get $k)) (local.get $k0)) (i32.const 2))))
                (local.set $aEnd (i32.add (local.get $aAt) (i32.shl (i32.sub (local.get $k1) (local.get $k0)) (i32.const 2))))
                (local.set $bAt (i32.add (local.get $b)
                  (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $n)) (local.get $col)) (i32.const 2))))
                (loop $products
                  (local.set $scale (f32x4.splat (f32.load (local.get $aAt))))
                  (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $scale) (v128.load (local.get $bAt)))))
                  (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $scale) (v128.load offset=16 (local.get $bAt)))))
                  (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $scale) (v128.load offset=32 (local.get $bAt)))))
                  (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $scale) (v128.load offset=48 (local.get $bAt)))))
                  (local.set $aAt (i32.add (local.get $aAt) (i32.const 4)))
                  (local.set $bAt (i32.add (local.get $bAt) (local.get $bRowBytes)))
                  (br_if $products (i32.lt_u (local.get $aAt) (local.get $aEnd))))
                (v128.store (local.get $cAt) (local.get $acc0))
                (v128.store offset=16 (local.get $cAt) (local.get $acc1))
                (v128.store offset=32 (local.get $cAt) (local.get $acc2))
                (v128.store offset=48 (local.get $cAt) (local.get $acc3))
                (local.set $col (i32.add (local.get $col) (i32.const 16)))
                (br $cols)))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (br $rows)))
        (local.set $k0 (local.get $k1))
        (br $blocks))))

  ;; out[b, q, p] = x[b, p, q] for `batch` [rows, cols] matrices: 4 × 4 blocks transposed in registers (f32x4
  ;; shuffles). Strips of 16 columns (one cache line of every input row) are swept down the rows, so reads
  ;; and the 16 output rows written are all sequential streams; the leftover columns in strips of 4, the edges
  ;; one element at a time.
  (func (export "transpose")
    (param $x i32) (param $out i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (local $b i32) (local $p i32) (local $q i32) (local $rowBytes i32) (local $outRowBytes i32)
    (local $rowEnd i32) (local $matrixBytes i32) (local $strip i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $outRowBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $matrixBytes (i32.mul (local.get $rows) (local.get $rowBytes)))
    (local.set $rowEnd (i32.and (local.get $rows) (i32.const -4)))
    (local.set $b (i32.const 0))
    (block $doneBatch
      (loop $batches
        (br_if $doneBatch (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $q (i32.const 0))
        (local.set $strip (i32.const 16))
        (loop $strips
          (block $doneStrips
            (loop $stripCols
              (br_if $doneStrips (i32.gt_u (i32.add (local.get $q) (local.get $strip)) (local.get $cols)))
              (local.set $p (i32.const 0))
              (block $doneBlockRows
                (loop $blockRows
                  (br_if $doneBlockRows (i32.ge_u (local.get $p) (local.get $rowEnd)))
                  (call $transposeBlock (local.get $x) (local.get $out) (local.get $rowBytes) (local.get $outRowBytes)
                    (local.get $p) (local.get $q))
                  (if (i32.eq (local.get $strip) (i32.const 16))
                    (then
                      (call $transposeBlock (local.get $x) (local.get $out) (local.get $rowBytes) (local.get $outRowBytes)
                        (local.get $p) (i32.add (local.get $q) (i32.const 4)))
                      (call $transposeBlock (local.get $x) (local.get $out) (local.get $rowBytes) (local.get $outRowBytes)
                        (local.get $p) (i32.add (local.get $q) (i32.const 8)))
                      (call $transposeBlock (local.get $x) (local.get $out) (local.get $rowBytes) (local.get $outRowBytes)
                        (local.get $p) (i32.add (local.get $q) (i32.const 12)))))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br $blockRows)))
              ;; The last rows mod 4 rows of this strip.
              (call $transposeScalar (local.get $x) (local.get $out) (local.get $rows) (local.get $cols)
                (local.get $rowEnd) (local.get $rows) (local.get $q) (i32.add (local.get $q) (local.get $strip)))
              (local.set $q (i32.add (local.get $q) (local.get $strip)))
              (br $stripCols)))
          (local.set $strip (i32.shr_u (local.get $strip) (i32.const 2)))
          (br_if $strips (i32.eq (local.get $strip) (i32.const 4))))
        ;; The last cols mod 4 columns.
        (call $transposeScalar (local.get $x) (local.get $out) (local.get $rows) (local.get $cols)
          (i32.const 0) (local.get $rows) (local.get $q) (local.get $cols))
        (local.set $x (i32.add (local.get $x) (local.get $matrixBytes)))
        (local.set $out (i32.add (local.get $out) (local.get $matrixBytes)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $batches))))

  ;; The 4 × 4 block at rows p..p+3, columns q..q+3 of x, transposed into out.
  (func $transposeBlock (param $x i32) (param $out i32) (param $rowBytes i32) (param $outRowBytes i32)
    (param $p i32) (param $q i32)
    (local $src i32)
    (local.set $src (i32.add (local.get $x)
      (i32.add (i32.mul (local.get $p) (local.get $rowBytes)) (i32.shl (local.get $q) (i32.const 2)))))
    (call $storeTransposed
      (i32.add (local.get $out)
        (i32.add (i32.mul (local.get $q) (local.get $outRowBytes)) (i32.shl (local.get $p) (i32.const 2))))
      (local.get $outRowBytes)
      (v128.load (local.get $src))
      (v128.load (i32.add (local.get $src) (local.get $rowBytes)))
      (v128.load (i32.add (local.get $src) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (v128.load (i32.add (local.get $src) (i32.mul (local.get $rowBytes) (i32.const 3))))))

  ;; Stores the transpose of the 4 × 4 block with rows a0..a3 as four rows rowBytes apart from dst:
  ;; row k of the result is lane k of a0..a3.
  (func $storeTransposed (param $dst i32) (param $rowBytes i32)
    (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    ;; t0 = a0₀ a1₀ a0₁ a1₁, t1 = a0₂ a1₂ a0₃ a1₃; t2, t3 the same for a2, a3.
    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
    (v128.store (local.get $dst)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
    (v128.store (i32.add (local.get $dst) (local.get $rowBytes))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
    (v128.store (i32.add (local.get $dst) (i32.shl (local.get $rowBytes) (i32.const 1)))
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
    (v128.store (i32.add (local.get $dst) (i32.mul (local.get $rowBytes) (i32.const 3)))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3))))

  ;; out[q, p] = x[p, q] for p in [p0, p1), q in [q0, q1) of one [rows, cols] matrix.
  (func $transposeScalar (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $p0 i32) (param $p1 i32) (param $q0 i32) (param $q1 i32)
    (local $p i32) (local $q i32)
    (local.set $p (local.get $p0))
    (block $doneRows
      (loop $rowLoop
        (br_if $doneRows (i32.ge_u (local.get $p) (local.get $p1)))
        (local.set $q (local.get $q0))
        (block $doneCols
          (loop $colLoop
            (br_if $doneCols (i32.ge_u (local.get $q) (local.get $q1)))
            (f32.store
              (i32.add (local.get $out)
                (i32.shl (i32.add (i32.mul (local.get $q) (local.get $rows)) (local.get $p)) (i32.const 2)))
              (f32.load
                (i32.add (local.get $x)
                  (i32.shl (i32.add (i32.mul (local.get $p) (local.get $cols)) (local.get $q)) (i32.const 2)))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $colLoop)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rowLoop))))

  ;; count zeros from at (a loop: these runs are a few floats, where memory.fill's call costs more)
  (func $zeros (param $at i32) (param $count i32)
    (block $done
      (loop $zero
        (br_if $done (i32.le_s (local.get $count) (i32.const 0)))
        (f32.store (local.get $at) (f32.const 0))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $zero))))

  ;; *at += value
  (func $accumulate (param $at i32) (param $value f32)
    (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (local.get $value)))))
