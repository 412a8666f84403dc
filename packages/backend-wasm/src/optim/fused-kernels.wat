;; nntk's fused optimizer updates as WebAssembly SIMD (f32x4), run on tfjs's wasm heap.
;; The memory is imported from tfjs's wasm module; the placeholder below is replaced by the generator with a shared
;; (threaded build) or a plain (single-threaded build) memory import. All pointers are byte offsets.
;; Regenerate fused-kernels-wasm.ts with `pnpm --filter @nntk/optim run build:kernels`.
(module
  (import "env" "memory" __MEMORY__)

  ;; Adam / AdamW for n floats:
  ;;   d = sign·g + l2·p;  m = β1·m + (1 − β1)·d;  v = β2·v + (1 − β2)·d²  (m, v in place)
  ;;   out = decay·p − stepSize·m / (√v / bc2Sqrt + eps)
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $n i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $stepSize f32) (param $bc2Sqrt f32) (param $eps f32) (param $decay f32) (param $l2 f32)
    (param $sign f32)
    (local $i i32) (local $offset i32) (local $vectorEnd i32)
    (local $d v128) (local $first v128) (local $second v128) (local $param v128)
    (local $ds f32) (local $ms f32) (local $vs f32) (local $ps f32)
    (local.set $vectorEnd (i32.and (local.get $n) (i32.const -4)))
    (block $doneVectors
      (loop $vectors
        (br_if $doneVectors (i32.ge_u (local.get $i) (local.get $vectorEnd)))
        (local.set $offset (i32.shl (local.get $i) (i32.const 2)))
        (local.set $param (v128.load (i32.add (local.get $p) (local.get $offset))))
        (local.set $d
          (f32x4.add
            (f32x4.mul (f32x4.splat (local.get $sign)) (v128.load (i32.add (local.get $g) (local.get $offset))))
            (f32x4.mul (f32x4.splat (local.get $l2)) (local.get $param))))
        (local.set $first
          (f32x4.add
            (f32x4.mul (f32x4.splat (local.get $beta1)) (v128.load (i32.add (local.get $m) (local.get $offset))))
            (f32x4.mul (f32x4.splat (local.get $oneMinusBeta1)) (local.get $d))))
        (local.set $second
          (f32x4.add
            (f32x4.mul (f32x4.splat (local.get $beta2)) (v128.load (i32.add (local.get $v) (local.get $offset))))
            (f32x4.mul (f32x4.splat (local.get $oneMinusBeta2)) (f32x4.mul (local.get $d) (local.get $d)))))
        (v128.store (i32.add (local.get $m) (local.get $offset)) (local.get $first))
        (v128.store (i32.add (local.get $v) (local.get $offset)) (local.get $second))
        (v128.store (i32.add (local.get $out) (local.get $offset))
          (f32x4.sub
            (f32x4.mul (f32x4.splat (local.get $decay)) (local.get $param))
            (f32x4.div
              (f32x4.mul (f32x4.splat (local.get $stepSize)) (local.get $first))
              (f32x4.add
                (f32x4.div (f32x4.sqrt (local.get $second)) (f32x4.splat (local.get $bc2Sqrt)))
                (f32x4.splat (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $doneScalars
      (loop $scalars
        (br_if $doneScalars (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $offset (i32.shl (local.get $i) (i32.const 2)))
        (local.set $ps (f32.load (i32.add (local.get $p) (local.get $offset))))
        (local.set $ds
          (f32.add
            (f32.mul (local.get $sign) (f32.load (i32.add (local.get $g) (local.get $offset))))
            (f32.mul (local.get $l2) (local.get $ps))))
        (local.set $ms
          (f32.add
            (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $offset))))
            (f32.mul (local.get $oneMinusBeta1) (local.get $ds))))
        (local.set $vs
          (f32.add
            (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $offset))))
            (f32.mul (local.get $oneMinusBeta2) (f32.mul (local.get $ds) (local.get $ds)))))
        (f32.store (i32.add (local.get $m) (local.get $offset)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $offset)) (local.get $vs))
        (f32.store (i32.add (local.get $out) (local.get $offset))
          (f32.sub
            (f32.mul (local.get $decay) (local.get $ps))
            (f32.div
              (f32.mul (local.get $stepSize) (local.get $ms))
              (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $bc2Sqrt)) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalars))))

  ;; SGD for n floats: d = sign·g + weightDecay·p; with momentum (mode 1, or 2 for Nesterov)
  ;;   buf = first ? d : momentum·buf + keep·d  (in place);  d = nesterov ? d + momentum·buf : buf
  ;;   out = p − lr·d
  (func (export "sgd")
    (param $p i32) (param $g i32) (param $buf i32) (param $out i32) (param $n i32)
    (param $lr f32) (param $momentum f32) (param $keep f32) (param $weightDecay f32) (param $sign f32)
    (param $mode i32) (param $first i32)
    (local $i i32) (local $offset i32) (local $vectorEnd i32)
    (local $d v128) (local $b v128) (local $param v128)
    (local $ds f32) (local $bs f32) (local $ps f32)
    (local.set $vectorEnd (i32.and (local.get $n) (i32.const -4)))
    (block $doneVectors
      (loop $vectors
        (br_if $doneVectors (i32.ge_u (local.get $i) (local.get $vectorEnd)))
        (local.set $offset (i32.shl (local.get $i) (i32.const 2)))
        (local.set $param (v128.load (i32.add (local.get $p) (local.get $offset))))
        (local.set $d
          (f32x4.add
            (f32x4.mul (f32x4.splat (local.get $sign)) (v128.load (i32.add (local.get $g) (local.get $offset))))
            (f32x4.mul (f32x4.splat (local.get $weightDecay)) (local.get $param))))
        (if (local.get $mode)
          (then
            (local.set $b
              (if (result v128) (local.get $first)
                (then (local.get $d))
                (else
                  (f32x4.add
                    (f32x4.mul (f32x4.splat (local.get $momentum)) (v128.load (i32.add (local.get $buf) (local.get $offset))))
                    (f32x4.mul (f32x4.splat (local.get $keep)) (local.get $d))))))
            (v128.store (i32.add (local.get $buf) (local.get $offset)) (local.get $b))
            (local.set $d
              (if (result v128) (i32.eq (local.get $mode) (i32.const 2))
                (then (f32x4.add (local.get $d) (f32x4.mul (f32x4.splat (local.get $momentum)) (local.get $b))))
                (else (local.get $b))))))
        (v128.store (i32.add (local.get $out) (local.get $offset))
          (f32x4.sub (local.get $param) (f32x4.mul (f32x4.splat (local.get $lr)) (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $doneScalars
      (loop $scalars
        (br_if $doneScalars (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $offset (i32.shl (local.get $i) (i32.const 2)))
        (local.set $ps (f32.load (i32.add (local.get $p) (local.get $offset))))
        (local.set $ds
          (f32.add
            (f32.mul (local.get $sign) (f32.load (i32.add (local.get $g) (local.get $offset))))
            (f32.mul (local.get $weightDecay) (local.get $ps))))
        (if (local.get $mode)
          (then
            (local.set $bs
              (if (result f32) (local.get $first)
                (then (local.get $ds))
                (else
                  (f32.add
                    (f32.mul (local.get $momentum) (f32.load (i32.add (local.get $buf) (local.get $offset))))
                    (f32.mul (local.get $keep) (local.get $ds))))))
            (f32.store (i32.add (local.get $buf) (local.get $offset)) (local.get $bs))
            (local.set $ds
              (if (result f32) (i32.eq (local.get $mode) (i32.const 2))
                (then (f32.add (local.get $ds) (f32.mul (local.get $momentum) (local.get $bs))))
                (else (local.get $bs))))))
        (f32.store (i32.add (local.get $out) (local.get $offset))
          (f32.sub (local.get $ps) (f32.mul (local.get $lr) (local.get $ds))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalars)))))
