;; SIMD kernels for the decoder solve (solver.ts), assembled by scripts/build-kernels.mjs into
;; kernels-wasm.ts. All matrices are row-major f64 in this module's memory; addresses are in
;; bytes. f64x2 lanes run along a row, two products per instruction; each kernel keeps several
;; accumulators so that one load of a row feeds several dot products.
(module
  (memory (export "memory") 1)

  ;; out[k*2 + l] = sum_{p in [from, to)} A_k[p] * B_l[p] for the 4 rows A_k = a + k*stride
  ;; and the 2 rows B_l = b + l*stride (a 4 x 2 block of a Gram matrix).
  (func $block4x2 (export "block4x2") (param $a i32) (param $b i32) (param $stride i32) (param $from i32) (param $to i32) (param $out i32)
    (local $o i32) (local $end i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b1 i32)
    (local $x v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $t0 f64) (local $t1 f64) (local $u f64)
    (local.set $a1 (i32.add (local.get $a) (local.get $stride)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $stride)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $stride)))
    (local.set $b1 (i32.add (local.get $b) (local.get $stride)))
    (local.set $o (i32.shl (local.get $from) (i32.const 3)))
    (local.set $end (i32.shl (local.get $to) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (i32.add (local.get $o) (i32.const 16)) (local.get $end)))
        (local.set $y0 (v128.load align=8 (i32.add (local.get $b) (local.get $o))))
        (local.set $y1 (v128.load align=8 (i32.add (local.get $b1) (local.get $o))))
        (local.set $x (v128.load align=8 (i32.add (local.get $a) (local.get $o))))
        (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $x (v128.load align=8 (i32.add (local.get $a1) (local.get $o))))
        (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $x (v128.load align=8 (i32.add (local.get $a2) (local.get $o))))
        (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $x (v128.load align=8 (i32.add (local.get $a3) (local.get $o))))
        (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x) (local.get $y0))))
        (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x) (local.get $y1))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    ;; an odd element left: fold it into lane 0 of every accumulator
    (if (i32.lt_s (local.get $o) (local.get $end))
      (then
        (local.set $t0 (f64.load (i32.add (local.get $b) (local.get $o))))
        (local.set $t1 (f64.load (i32.add (local.get $b1) (local.get $o))))
        (local.set $u (f64.load (i32.add (local.get $a) (local.get $o))))
        (local.set $s00 (f64x2.add (local.get $s00) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t0))) (f64.const 0))))
        (local.set $s01 (f64x2.add (local.get $s01) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t1))) (f64.const 0))))
        (local.set $u (f64.load (i32.add (local.get $a1) (local.get $o))))
        (local.set $s10 (f64x2.add (local.get $s10) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t0))) (f64.const 0))))
        (local.set $s11 (f64x2.add (local.get $s11) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t1))) (f64.const 0))))
        (local.set $u (f64.load (i32.add (local.get $a2) (local.get $o))))
        (local.set $s20 (f64x2.add (local.get $s20) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t0))) (f64.const 0))))
        (local.set $s21 (f64x2.add (local.get $s21) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t1))) (f64.const 0))))
        (local.set $u (f64.load (i32.add (local.get $a3) (local.get $o))))
        (local.set $s30 (f64x2.add (local.get $s30) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t0))) (f64.const 0))))
        (local.set $s31 (f64x2.add (local.get $s31) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $u) (local.get $t1))) (f64.const 0))))))
    (f64.store offset=0 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s00)) (f64x2.extract_lane 1 (local.get $s00))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01))))
    (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s10)) (f64x2.extract_lane 1 (local.get $s10))))
    (f64.store offset=24 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s11)) (f64x2.extract_lane 1 (local.get $s11))))
    (f64.store offset=32 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s20)) (f64x2.extract_lane 1 (local.get $s20))))
    (f64.store offset=40 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s21)) (f64x2.extract_lane 1 (local.get $s21))))
    (f64.store offset=48 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s30)) (f64x2.extract_lane 1 (local.get $s30))))
    (f64.store offset=56 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s31)) (f64x2.extract_lane 1 (local.get $s31)))))

  ;; out[k] = sum_{p < len} A_k[p] * B[p] for the 4 rows A_k = a + k*stride (Cholesky updates).
  (func (export "dot4") (param $a i32) (param $stride i32) (param $b i32) (param $len i32) (param $out i32)
    (local $o i32) (local $end i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $y v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t f64)
    (local.set $a1 (i32.add (local.get $a) (local.get $stride)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $stride)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $stride)))
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (i32.add (local.get $o) (i32.const 16)) (local.get $end)))
        (local.set $y (v128.load align=8 (i32.add (local.get $b) (local.get $o))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load align=8 (i32.add (local.get $a) (local.get $o))) (local.get $y))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load align=8 (i32.add (local.get $a1) (local.get $o))) (local.get $y))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load align=8 (i32.add (local.get $a2) (local.get $o))) (local.get $y))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load align=8 (i32.add (local.get $a3) (local.get $o))) (local.get $y))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (if (i32.lt_s (local.get $o) (local.get $end))
      (then
        (local.set $t (f64.load (i32.add (local.get $b) (local.get $o))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a1) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a2) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a3) (local.get $o))) (local.get $t))) (f64.const 0))))))
    (f64.store offset=0 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
    (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
    (f64.store offset=24 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3)))))

  ;; out[k] = sum_{p < len} A_k[p] * B[p] for the 8 rows A_k = a + k*stride: Cholesky updates,
  ;; where each earlier row B is read once for eight rows (the factorisation is memory-bound).
  (func $dot8 (export "dot8") (param $a i32) (param $stride i32) (param $b i32) (param $len i32) (param $out i32)
    (local $o i32) (local $end i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $a4 i32) (local $a5 i32) (local $a6 i32) (local $a7 i32)
    (local $y v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128) (local $t f64)
    (local.set $a1 (i32.add (local.get $a) (local.get $stride)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $stride)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $stride)))
    (local.set $a4 (i32.add (local.get $a3) (local.get $stride)))
    (local.set $a5 (i32.add (local.get $a4) (local.get $stride)))
    (local.set $a6 (i32.add (local.get $a5) (local.get $stride)))
    (local.set $a7 (i32.add (local.get $a6) (local.get $stride)))
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (i32.add (local.get $o) (i32.const 16)) (local.get $end)))
        (local.set $y (v128.load align=8 (i32.add (local.get $b) (local.get $o))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load align=8 (i32.add (local.get $a) (local.get $o))) (local.get $y))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load align=8 (i32.add (local.get $a1) (local.get $o))) (local.get $y))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load align=8 (i32.add (local.get $a2) (local.get $o))) (local.get $y))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load align=8 (i32.add (local.get $a3) (local.get $o))) (local.get $y))))
        (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (v128.load align=8 (i32.add (local.get $a4) (local.get $o))) (local.get $y))))
        (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (v128.load align=8 (i32.add (local.get $a5) (local.get $o))) (local.get $y))))
        (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (v128.load align=8 (i32.add (local.get $a6) (local.get $o))) (local.get $y))))
        (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (v128.load align=8 (i32.add (local.get $a7) (local.get $o))) (local.get $y))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (if (i32.lt_s (local.get $o) (local.get $end))
      (then
        (local.set $t (f64.load (i32.add (local.get $b) (local.get $o))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a1) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a2) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a3) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s4 (f64x2.add (local.get $s4) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a4) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s5 (f64x2.add (local.get $s5) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a5) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s6 (f64x2.add (local.get $s6) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a6) (local.get $o))) (local.get $t))) (f64.const 0))))
        (local.set $s7 (f64x2.add (local.get $s7) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (f64.load (i32.add (local.get $a7) (local.get $o))) (local.get $t))) (f64.const 0))))))
    (f64.store offset=0 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
    (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
    (f64.store offset=24 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))
    (f64.store offset=32 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s4)) (f64x2.extract_lane 1 (local.get $s4))))
    (f64.store offset=40 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s5)) (f64x2.extract_lane 1 (local.get $s5))))
    (f64.store offset=48 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s6)) (f64x2.extract_lane 1 (local.get $s6))))
    (f64.store offset=56 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $s7)) (f64x2.extract_lane 1 (local.get $s7)))))

;; One strip of the Gram matrix: rows i..i+3 against row pairs j = j0, j0+2, ... < j1, each pair
;; over the overlap of [ilo, ihi) with its own range [lo2[j/2], hi2[j/2]) (i32 arrays), the
;; 4 x 2 sums added into G (r x r, row stride gStride bytes). `tmp` is 64 bytes of scratch.
  (func (export "gramStrip") (param $rows i32) (param $stride i32) (param $i i32) (param $j0 i32) (param $j1 i32)
        (param $ilo i32) (param $ihi i32) (param $lo2 i32) (param $hi2 i32) (param $g i32) (param $gStride i32) (param $tmp i32)
    (local $j i32) (local $from i32) (local $to i32) (local $a i32) (local $dst i32) (local $t i32)
    (local.set $j (local.get $j0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $j1)))
        ;; from = max(ilo, lo2[j/2]), to = min(ihi, hi2[j/2])
        (local.set $from (i32.load (i32.add (local.get $lo2) (i32.shl (local.get $j) (i32.const 1)))))
        (if (i32.lt_s (local.get $from) (local.get $ilo)) (then (local.set $from (local.get $ilo))))
        (local.set $to (i32.load (i32.add (local.get $hi2) (i32.shl (local.get $j) (i32.const 1)))))
        (if (i32.gt_s (local.get $to) (local.get $ihi)) (then (local.set $to (local.get $ihi))))
        (if (i32.lt_s (local.get $from) (local.get $to))
          (then
            (call $block4x2
              (i32.add (local.get $rows) (i32.mul (local.get $i) (local.get $stride)))
              (i32.add (local.get $rows) (i32.mul (local.get $j) (local.get $stride)))
              (local.get $stride) (local.get $from) (local.get $to) (local.get $tmp))
            ;; G[i + a][j + b] += tmp[a * 2 + b]
            (local.set $a (i32.const 0))
            (loop $rowsLoop
              (local.set $dst (i32.add (local.get $g)
                (i32.add (i32.mul (i32.add (local.get $i) (local.get $a)) (local.get $gStride)) (i32.shl (local.get $j) (i32.const 3)))))
              (local.set $t (i32.add (local.get $tmp) (i32.shl (local.get $a) (i32.const 4))))
              (v128.store align=8 (local.get $dst)
                (f64x2.add (v128.load align=8 (local.get $dst)) (v128.load align=8 (local.get $t))))
              (local.set $a (i32.add (local.get $a) (i32.const 1)))
              (br_if $rowsLoop (i32.lt_s (local.get $a) (i32.const 4))))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $next))))

;; Cholesky columns j < i0 for the 8 rows i0..i0+7 of G (row stride `stride` bytes):
;; L[i0 + a][j] = (G[i0 + a][j] - sum_{q<j} L[i0 + a][q] L[j][q]) / L[j][j], in order of j.
  (func (export "cholStrip8") (param $g i32) (param $stride i32) (param $i0 i32) (param $tmp i32)
    (local $j i32) (local $base i32) (local $rowj i32) (local $inv f64) (local $a i32) (local $cell i32)
    (local.set $base (i32.add (local.get $g) (i32.mul (local.get $i0) (local.get $stride))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $i0)))
        (local.set $rowj (i32.add (local.get $g) (i32.mul (local.get $j) (local.get $stride))))
        (call $dot8 (local.get $base) (local.get $stride) (local.get $rowj) (local.get $j) (local.get $tmp))
        (local.set $inv (f64.div (f64.const 1) (f64.load (i32.add (local.get $rowj) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $a (i32.const 0))
        (loop $rowsLoop
          (local.set $cell (i32.add (i32.add (local.get $base) (i32.mul (local.get $a) (local.get $stride))) (i32.shl (local.get $j) (i32.const 3))))
          (f64.store (local.get $cell)
            (f64.mul (f64.sub (f64.load (local.get $cell)) (f64.load (i32.add (local.get $tmp) (i32.shl (local.get $a) (i32.const 3))))) (local.get $inv)))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br_if $rowsLoop (i32.lt_s (local.get $a) (i32.const 8))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next))))

;; One LIF step for n neurons (n even; arrays of f64 except `active`, i32), Nengo's LIF.step
;; without its spike-time logarithm: for every neuron
;;   r = ref - dt; z = clamp(dt - r, 0, dt) / tau_rc (the non-refractory part of the step)
;;   v -= (J - v) * expm1(-z)    (expm1 as a degree-6 Taylor polynomial, exact to 2e-13)
;;   ref = r; out = 0; v = max(v, min_v) unless v > 1,
;; and the indices with v > 1 are appended to `active`; returns how many. `mode` says where J
;; comes from: 0 = the array j; 1 = (j + bias) + enc * x0 and 2 = bias + enc * x0 (a 1-D
;; ensemble with and without direct neuron input; J is written back to j). The caller then
;; sets their output, resets v and computes the refractory time from the spike time (log1p).
;; The TypeScript fallback in neurons.ts does the same operations in the same order, so both
;; give bit-identical voltages.
  (func (export "lif") (param $n i32) (param $j i32) (param $v i32) (param $ref i32) (param $out i32) (param $active i32)
        (param $dt f64) (param $invTau f64) (param $minV f64)
        (param $mode i32) (param $bias i32) (param $enc i32) (param $x0 f64) (result i32)
    (local $i i32) (local $o i32) (local $cnt i32)
    (local $dtv v128) (local $invTauv v128) (local $minVv v128) (local $one v128)
    (local $r v128) (local $z v128) (local $e v128) (local $vv v128) (local $jj v128) (local $mask v128) (local $x0v v128)
    (local.set $x0v (f64x2.splat (local.get $x0)))
    (local.set $dtv (f64x2.splat (local.get $dt)))
    (local.set $invTauv (f64x2.splat (local.get $invTau)))
    (local.set $minVv (f64x2.splat (local.get $minV)))
    (local.set $one (f64x2.splat (f64.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $r (f64x2.sub (v128.load align=8 (i32.add (local.get $ref) (local.get $o))) (local.get $dtv)))
        ;; z = min(max(dt - r, 0), dt) * invTau
        (local.set $z (f64x2.sub (local.get $dtv) (local.get $r)))
        (local.set $z (f64x2.max (local.get $z) (f64x2.splat (f64.const 0))))
        (local.set $z (f64x2.min (local.get $z) (local.get $dtv)))
        (local.set $z (f64x2.mul (local.get $z) (local.get $invTauv)))
        ;; e = -z * (1 - z * (1/2 - z * (1/6 - z * (1/24 - z * (1/120 - z * (1/720))))))
        (local.set $e (f64x2.sub (f64x2.splat (f64.const 0.008333333333333333)) (f64x2.mul (local.get $z) (f64x2.splat (f64.const 0.001388888888888889)))))
        (local.set $e (f64x2.sub (f64x2.splat (f64.const 0.041666666666666664)) (f64x2.mul (local.get $z) (local.get $e))))
        (local.set $e (f64x2.sub (f64x2.splat (f64.const 0.16666666666666666)) (f64x2.mul (local.get $z) (local.get $e))))
        (local.set $e (f64x2.sub (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $z) (local.get $e))))
        (local.set $e (f64x2.sub (local.get $one) (f64x2.mul (local.get $z) (local.get $e))))
        (local.set $e (f64x2.mul (f64x2.neg (local.get $z)) (local.get $e)))
        (local.set $vv (v128.load align=8 (i32.add (local.get $v) (local.get $o))))
        (if (i32.eqz (local.get $mode))
          (then (local.set $jj (v128.load align=8 (i32.add (local.get $j) (local.get $o)))))
          (else
            (local.set $jj (v128.load align=8 (i32.add (local.get $bias) (local.get $o))))
            (if (i32.eq (local.get $mode) (i32.const 1))
              (then (local.set $jj (f64x2.add (v128.load align=8 (i32.add (local.get $j) (local.get $o))) (local.get $jj)))))
            (local.set $jj (f64x2.add (local.get $jj) (f64x2.mul (v128.load align=8 (i32.add (local.get $enc) (local.get $o))) (local.get $x0v))))
            (v128.store align=8 (i32.add (local.get $j) (local.get $o)) (local.get $jj))))
        (local.set $vv (f64x2.sub (local.get $vv) (f64x2.mul (f64x2.sub (local.get $jj) (local.get $vv)) (local.get $e))))
        (v128.store align=8 (i32.add (local.get $ref) (local.get $o)) (local.get $r))
        (v128.store align=8 (i32.add (local.get $out) (local.get $o)) (f64x2.splat (f64.const 0)))
        (local.set $mask (f64x2.gt (local.get $vv) (local.get $one)))
        ;; spiking lanes keep the raw v (the caller needs it for the spike time)
        (v128.store align=8 (i32.add (local.get $v) (local.get $o))
          (v128.bitselect (local.get $vv) (f64x2.max (local.get $vv) (local.get $minVv)) (local.get $mask)))
        ;; append spiking lanes without branching (a spike is too frequent and too random for
        ;; the branch predictor): always write the index, advance the count only on a spike
        (i32.store (i32.add (local.get $active) (i32.shl (local.get $cnt) (i32.const 2))) (local.get $i))
        (local.set $cnt (i32.add (local.get $cnt) (i32.and (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $mask))) (i32.const 1))))
        (i32.store (i32.add (local.get $active) (i32.shl (local.get $cnt) (i32.const 2))) (i32.add (local.get $i) (i32.const 1)))
        (local.set $cnt (i32.add (local.get $cnt) (i32.and (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $mask))) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next)))
    (local.get $cnt))
)
