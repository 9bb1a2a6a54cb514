;; Masked scaled dot-product attention kernels, f32x4 SIMD (see attentionOp.ts for the maths and shapes).
;; Compiled at dev time by scripts/build-wasm.mjs into attentionWasm.generated.ts; do not edit one without the other.
;;
;; Layout (all pointers are byte offsets into this module's memory, 16-byte aligned):
;;   q, out, dq     [B,H,Tq,dh]
;;   kT, vT, dkT... [B,H,dh,Tk4]   keys/values transposed so the SIMD loops run over keys
;;   mask           [B,Tk4]        1 = real key, 0 = padding
;;   P              [B,H,Tq,Tk4]   softmax weights (written by forward, read by backward)
;; Tk4 is the key count rounded up to a multiple of 4; the caller pads keys/values with zeros and the mask
;; with 0, so padded lanes get weight 0 and every loop is whole vectors.
(module
  (memory (export "memory") 1)

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func $hmax (param $v v128) (result f32)
    (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.max (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

;; Softmax numerators over one row, in place: P[j] = mask[j] != 0 ? e^(P[j] - max) : 0; returns their sum.
  ;; e^x (Cephes expf): x = k*ln2 + r with |r| <= ln2/2, e^r by a degree-6 polynomial, 2^k built in the
  ;; exponent bits as 2^(k>>1) * 2^(k-(k>>1)) so results down to the denormals stay right. k is rounded by
  ;; adding 1.5*2^23 (its low mantissa bits are then k), which avoids the slow float->int conversion on x64.
  ;; Inputs below -104 are clamped (e^-104 underflows to 0 in f32 anyway). Constants live in locals, set once
  ;; per row, because V8 rematerialises a v128.const at every use.
  (func $softmax_exp (param $p i32) (param $mask i32) (param $bytes i32) (param $max f32) (result f32)
    (local $end i32)
    (local $x v128) (local $j v128) (local $k v128) (local $r v128) (local $y v128) (local $ki v128) (local $k1 v128)
    (local $sum v128) (local $mx v128) (local $lo v128) (local $log2e v128) (local $magic v128) (local $c1 v128) (local $c2 v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128) (local $p5 v128)
    (local $one v128) (local $bias v128)
    (local.set $mx (f32x4.splat (local.get $max)))
    (local.set $lo (f32x4.splat (f32.const -104)))
    (local.set $log2e (f32x4.splat (f32.const 1.44269504088896341)))
    (local.set $magic (f32x4.splat (f32.const 12582912)))  ;; 1.5 * 2^23, bits 0x4B400000
    (local.set $c1 (f32x4.splat (f32.const 0.693359375)))  ;; ln2 split in two so k*c1 is exact
    (local.set $c2 (f32x4.splat (f32.const -2.12194440e-4)))
    (local.set $p0 (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p1 (f32x4.splat (f32.const 1.3981999507e-3)))
    (local.set $p2 (f32x4.splat (f32.const 8.3334519073e-3)))
    (local.set $p3 (f32x4.splat (f32.const 4.1665795894e-2)))
    (local.set $p4 (f32x4.splat (f32.const 1.6666665459e-1)))
    (local.set $p5 (f32x4.splat (f32.const 5.0000001201e-1)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $bias (i32x4.splat (i32.const 127)))
    (local.set $sum (v128.const i32x4 0 0 0 0))
    (local.set $end (i32.add (local.get $p) (local.get $bytes)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (f32x4.max (f32x4.sub (v128.load (local.get $p)) (local.get $mx)) (local.get $lo)))
      (local.set $j (f32x4.add (f32x4.mul (local.get $x) (local.get $log2e)) (local.get $magic)))
      (local.set $k (f32x4.sub (local.get $j) (local.get $magic)))
      (local.set $ki (i32x4.sub (local.get $j) (local.get $magic)))  ;; integer k from the mantissa bits
      (local.set $r (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (local.get $c1)))
                               (f32x4.mul (local.get $k) (local.get $c2))))
      (local.set $y (f32x4.add (f32x4.mul (local.get $p0) (local.get $r)) (local.get $p1)))
      (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (local.get $p2)))
      (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (local.get $p3)))
      (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (local.get $p4)))
      (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (local.get $p5)))
      ;; y = y*r^2 + r + 1
      (local.set $y (f32x4.add
        (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
        (local.get $one)))
      (local.set $k1 (i32x4.shr_s (local.get $ki) (i32.const 1)))
      (local.set $y (f32x4.mul
        (f32x4.mul (local.get $y) (i32x4.shl (i32x4.add (local.get $k1) (local.get $bias)) (i32.const 23)))
        (i32x4.shl (i32x4.add (i32x4.sub (local.get $ki) (local.get $k1)) (local.get $bias)) (i32.const 23))))
      ;; padding keys (and whatever garbage their lanes computed) become 0
      (local.set $y (v128.and (local.get $y)
        (f32x4.ne (v128.load (local.get $mask)) (v128.const i32x4 0 0 0 0))))
      (v128.store (local.get $p) (local.get $y))
      (local.set $sum (f32x4.add (local.get $sum) (local.get $y)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $mask (i32.add (local.get $mask) (i32.const 16)))
      (br $l)))
    (call $hsum (local.get $sum)))

  ;; In-place e^x over n floats (n a multiple of 4) where mask != 0, else 0: the softmax's exp, for tests.
  (func (export "exp_array") (param $ptr i32) (param $mask i32) (param $n i32)
    (drop (call $softmax_exp (local.get $ptr) (local.get $mask) (i32.shl (local.get $n) (i32.const 2)) (f32.const 0))))

  ;; Forward for all (b, h, query row) in one call. $scr: scratch of dh*16 bytes.
  (func (export "attn_forward")
    (param $q i32) (param $kT i32) (param $vT i32) (param $mask i32) (param $out i32) (param $P i32) (param $scr i32)
    (param $B i32) (param $H i32) (param $Tq i32) (param $Tk4 i32) (param $dh i32) (param $scale f32)
    (local $b i32) (local $h i32) (local $i i32) (local $j i32) (local $d i32)
    (local $rowBytes i32) (local $headBytes i32) (local $qsEnd i32)
    (local $mRow i32) (local $kBase i32) (local $vBase i32) (local $qRow i32) (local $oRow i32) (local $pRow i32)
    (local $a i32) (local $c i32)
    (local $acc v128) (local $mx v128) (local $m v128) (local $bc v128)
    (local $maxf f32)
    (local.set $rowBytes (i32.shl (local.get $Tk4) (i32.const 2)))
    (local.set $headBytes (i32.mul (local.get $rowBytes) (local.get $dh)))
    (local.set $qsEnd (i32.add (local.get $scr) (i32.shl (local.get $dh) (i32.const 4))))
    (local.set $mRow (local.get $mask))
    (local.set $kBase (local.get $kT))
    (local.set $vBase (local.get $vT))
    (local.set $qRow (local.get $q))
    (local.set $oRow (local.get $out))
    (local.set $pRow (local.get $P))
    (local.set $b (i32.const 0))
    (block $bEnd (loop $bLoop
      (br_if $bEnd (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $h (i32.const 0))
      (block $hEnd (loop $hLoop
        (br_if $hEnd (i32.ge_u (local.get $h) (local.get $H)))
        (local.set $i (i32.const 0))
        (block $iEnd (loop $iLoop
          (br_if $iEnd (i32.ge_u (local.get $i) (local.get $Tq)))
          ;; scratch[d] = splat(q[d] * scale)
          (local.set $a (local.get $scr))
          (local.set $c (local.get $qRow))
          (block $sEnd (loop $sLoop
            (br_if $sEnd (i32.ge_u (local.get $a) (local.get $qsEnd)))
            (v128.store (local.get $a) (f32x4.splat (f32.mul (f32.load (local.get $c)) (local.get $scale))))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $sLoop)))
          ;; scores into the P row, and the max over real keys
          (local.set $mx (v128.const f32x4 -inf -inf -inf -inf))
          (local.set $j (i32.const 0))
          (block $jEnd (loop $jLoop
            (br_if $jEnd (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $a (local.get $scr))
            (local.set $c (i32.add (local.get $kBase) (local.get $j)))
            (block $dEnd (loop $dLoop
              (br_if $dEnd (i32.ge_u (local.get $a) (local.get $qsEnd)))
              (local.set $acc (f32x4.add (local.get $acc)
                (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $c)))))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
              (br $dLoop)))
            (v128.store (i32.add (local.get $pRow) (local.get $j)) (local.get $acc))
            (local.set $m (f32x4.ne (v128.load (i32.add (local.get $mRow) (local.get $j))) (v128.const i32x4 0 0 0 0)))
            (local.set $mx (f32x4.max (local.get $mx)
              (v128.bitselect (local.get $acc) (v128.const f32x4 -inf -inf -inf -inf) (local.get $m))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $jLoop)))
          (local.set $maxf (call $hmax (local.get $mx)))
          (if (f32.eq (local.get $maxf) (f32.const -inf))
            (then
              ;; no real key in this row: weights and output are zero
              (memory.fill (local.get $pRow) (i32.const 0) (local.get $rowBytes))
              (memory.fill (local.get $oRow) (i32.const 0) (i32.shl (local.get $dh) (i32.const 2))))
            (else
              ;; e = exp(s - max) on real keys, 0 on padding; bc = splat(1 / sum)
              (local.set $bc (f32x4.splat (f32.div (f32.const 1)
                (call $softmax_exp (local.get $pRow) (local.get $mRow) (local.get $rowBytes) (local.get $maxf)))))
              ;; normalise
              (local.set $j (i32.const 0))
              (block $nEnd (loop $nLoop
                (br_if $nEnd (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (local.set $a (i32.add (local.get $pRow) (local.get $j)))
                (v128.store (local.get $a) (f32x4.mul (v128.load (local.get $a)) (local.get $bc)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $nLoop)))
              ;; out[d] = sum_j P[j] * vT[d][j]
              (local.set $d (i32.const 0))
              (local.set $c (local.get $vBase))
              (block $oEnd (loop $oLoop
                (br_if $oEnd (i32.ge_u (local.get $d) (local.get $dh)))
                (local.set $acc (v128.const i32x4 0 0 0 0))
                (local.set $j (i32.const 0))
                (block $vEnd (loop $vLoop
                  (br_if $vEnd (i32.ge_u (local.get $j) (local.get $rowBytes)))
                  (local.set $acc (f32x4.add (local.get $acc)
                    (f32x4.mul (v128.load (i32.add (local.get $pRow) (local.get $j)))
                               (v128.load (i32.add (local.get $c) (local.get $j))))))
                  (local.set $j (i32.add (local.get $j) (i32.const 16)))
                  (br $vLoop)))
                (f32.store (i32.add (local.get $oRow) (i32.shl (local.get $d) (i32.const 2))) (call $hsum (local.get $acc)))
                (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (br $oLoop)))))
          (local.set $qRow (i32.add (local.get $qRow) (i32.shl (local.get $dh) (i32.const 2))))
          (local.set $oRow (i32.add (local.get $oRow) (i32.shl (local.get $dh) (i32.const 2))))
          (local.set $pRow (i32.add (local.get $pRow) (local.get $rowBytes)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $iLoop)))
        (local.set $kBase (i32.add (local.get $kBase) (local.get $headBytes)))
        (local.set $vBase (i32.add (local.get $vBase) (local.get $headBytes)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $hLoop)))
      (local.set $mRow (i32.add (local.get $mRow) (local.get $rowBytes)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop))))

  ;; Backward for all (b, h, query row) in one call: dq is written, dkT and dvT are zeroed then accumulated.
  ;; $scr: scratch of dh*16 + Tk4*4 bytes (splatted dOut row, then dS row).
  (func (export "attn_backward")
    (param $dOut i32) (param $q i32) (param $kT i32) (param $vT i32) (param $P i32)
    (param $dq i32) (param $dkT i32) (param $dvT i32) (param $scr i32)
    (param $B i32) (param $H i32) (param $Tq i32) (param $Tk4 i32) (param $dh i32) (param $scale f32)
    (local $bh i32) (local $nbh i32) (local $i i32) (local $j i32) (local $d i32)
    (local $rowBytes i32) (local $headBytes i32) (local $gsEnd i32) (local $ds i32)
    (local $kBase i32) (local $vBase i32) (local $dkBase i32) (local $dvBase i32)
    (local $qRow i32) (local $gRow i32) (local $dqRow i32) (local $pRow i32)
    (local $a i32) (local $c i32) (local $e i32)
    (local $p v128) (local $g v128) (local $acc v128) (local $dot v128) (local $bc v128) (local $sc v128) (local $qd v128)
    (local.set $rowBytes (i32.shl (local.get $Tk4) (i32.const 2)))
    (local.set $headBytes (i32.mul (local.get $rowBytes) (local.get $dh)))
    (local.set $gsEnd (i32.add (local.get $scr) (i32.shl (local.get $dh) (i32.const 4))))
    (local.set $ds (local.get $gsEnd))
    (local.set $nbh (i32.mul (local.get $B) (local.get $H)))
    (local.set $sc (f32x4.splat (local.get $scale)))
    (memory.fill (local.get $dkT) (i32.const 0) (i32.mul (local.get $headBytes) (local.get $nbh)))
    (memory.fill (local.get $dvT) (i32.const 0) (i32.mul (local.get $headBytes) (local.get $nbh)))
    (local.set $kBase (local.get $kT))
    (local.set $vBase (local.get $vT))
    (local.set $dkBase (local.get $dkT))
    (local.set $dvBase (local.get $dvT))
    (local.set $qRow (local.get $q))
    (local.set $gRow (local.get $dOut))
    (local.set $dqRow (local.get $dq))
    (local.set $pRow (local.get $P))
    (local.set $bh (i32.const 0))
    (block $bhEnd (loop $bhLoop
      (br_if $bhEnd (i32.ge_u (local.get $bh) (local.get $nbh)))
      (local.set $i (i32.const 0))
      (block $iEnd (loop $iLoop
        (br_if $iEnd (i32.ge_u (local.get $i) (local.get $Tq)))
        ;; scratch[d] = splat(dOut[d])
        (local.set $a (local.get $scr))
        (local.set $c (local.get $gRow))
        (block $sEnd (loop $sLoop
          (br_if $sEnd (i32.ge_u (local.get $a) (local.get $gsEnd)))
          (v128.store (local.get $a) (f32x4.splat (f32.load (local.get $c))))
          (local.set $a (i32.add (local.get $a) (i32.const 16)))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $sLoop)))
        ;; dP[j] = sum_d g[d] vT[d][j];  dvT[d][j] += g[d] P[j];  dot = sum_j P[j] dP[j]
        (local.set $dot (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $jEnd (loop $jLoop
          (br_if $jEnd (i32.ge_u (local.get $j) (local.get $rowBytes)))
          (local.set $p (v128.load (i32.add (local.get $pRow) (local.get $j))))
          (local.set $acc (v128.const i32x4 0 0 0 0))
          (local.set $a (local.get $scr))
          (local.set $c (i32.add (local.get $vBase) (local.get $j)))
          (local.set $e (i32.add (local.get $dvBase) (local.get $j)))
          (block $dEnd (loop $dLoop
            (br_if $dEnd (i32.ge_u (local.get $a) (local.get $gsEnd)))
            (local.set $g (v128.load (local.get $a)))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $g) (v128.load (local.get $c)))))
            (v128.store (local.get $e) (f32x4.add (v128.load (local.get $e)) (f32x4.mul (local.get $g) (local.get $p))))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
            (local.set $e (i32.add (local.get $e) (local.get $rowBytes)))
            (br $dLoop)))
          (v128.store (i32.add (local.get $ds) (local.get $j)) (local.get $acc))
          (local.set $dot (f32x4.add (local.get $dot) (f32x4.mul (local.get $p) (local.get $acc))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $jLoop)))
        ;; dS = P * (dP - dot) * scale
        (local.set $bc (f32x4.splat (call $hsum (local.get $dot))))
        (local.set $j (i32.const 0))
        (block $nEnd (loop $nLoop
          (br_if $nEnd (i32.ge_u (local.get $j) (local.get $rowBytes)))
          (local.set $a (i32.add (local.get $ds) (local.get $j)))
          (v128.store (local.get $a)
            (f32x4.mul
              (f32x4.mul (v128.load (i32.add (local.get $pRow) (local.get $j)))
                         (f32x4.sub (v128.load (local.get $a)) (local.get $bc)))
              (local.get $sc)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $nLoop)))
        ;; dq[d] = sum_j dS[j] kT[d][j];  dkT[d][j] += dS[j] q[d]
        (local.set $d (i32.const 0))
        (local.set $c (local.get $kBase))
        (local.set $e (local.get $dkBase))
        (block $oEnd (loop $oLoop
          (br_if $oEnd (i32.ge_u (local.get $d) (local.get $dh)))
          (local.set $qd (f32x4.splat (f32.load (i32.add (local.get $qRow) (i32.shl (local.get $d) (i32.const 2))))))
          (local.set $acc (v128.const i32x4 0 0 0 0))
          (local.set $j (i32.const 0))
          (block $kEnd (loop $kLoop
            (br_if $kEnd (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $p (v128.load (i32.add (local.get $ds) (local.get $j))))
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul (local.get $p) (v128.load (i32.add (local.get $c) (local.get $j))))))
            (local.set $a (i32.add (local.get $e) (local.get $j)))
            (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (f32x4.mul (local.get $p) (local.get $qd))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $kLoop)))
          (f32.store (i32.add (local.get $dqRow) (i32.shl (local.get $d) (i32.const 2))) (call $hsum (local.get $acc)))
          (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
          (local.set $e (i32.add (local.get $e) (local.get $rowBytes)))
          (local.set $d (i32.add (local.get $d) (i32.const 1)))
          (br $oLoop)))
        (local.set $qRow (i32.add (local.get $qRow) (i32.shl (local.get $dh) (i32.const 2))))
        (local.set $gRow (i32.add (local.get $gRow) (i32.shl (local.get $dh) (i32.const 2))))
        (local.set $dqRow (i32.add (local.get $dqRow) (i32.shl (local.get $dh) (i32.const 2))))
        (local.set $pRow (i32.add (local.get $pRow) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iLoop)))
      (local.set $kBase (i32.add (local.get $kBase) (local.get $headBytes)))
      (local.set $vBase (i32.add (local.get $vBase) (local.get $headBytes)))
      (local.set $dkBase (i32.add (local.get $dkBase) (local.get $headBytes)))
      (local.set $dvBase (i32.add (local.get $dvBase) (local.get $headBytes)))
      (local.set $bh (i32.add (local.get $bh) (i32.const 1)))
      (br $bhLoop))))
)
