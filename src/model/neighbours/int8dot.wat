;; int8 dot products of one query against many rows, 16 bytes at a time with 128-bit SIMD:
;; each 16-byte block is sign-extended to two i16x8 halves and multiplied-accumulated by i32x4.dot_i16x8_s.
;; Layout (all offsets in bytes): q [d], rows [n * d], out [n] i32; d is a multiple of 16 (rows zero-padded).
(module
  (memory (export "memory") 1)
  (func (export "dot_rows") (param $q i32) (param $rows i32) (param $n i32) (param $d i32) (param $out i32)
    (local $i i32) (local $t i32) (local $r i32) (local $acc v128) (local $qv v128) (local $rv v128)
    (local.set $r (local.get $rows))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $t (i32.const 0))
        (block $end
          (loop $blk
            (br_if $end (i32.ge_u (local.get $t) (local.get $d)))
            (local.set $qv (v128.load (i32.add (local.get $q) (local.get $t))))
            (local.set $rv (v128.load (i32.add (local.get $r) (local.get $t))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $qv)) (i16x8.extend_low_i8x16_s (local.get $rv)))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $qv)) (i16x8.extend_high_i8x16_s (local.get $rv)))))
            (local.set $t (i32.add (local.get $t) (i32.const 16)))
            (br $blk)))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $r (i32.add (local.get $r) (local.get $d)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))))
