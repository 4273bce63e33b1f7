//! Byte searches eight bytes at a time in plain `u64` arithmetic ("SIMD
//! within a register"): for the many short strings of a large config
//! (lines of ~20 bytes, section names of ~25) and of the JSON written from
//! it, where a call into `memchr` costs more in set-up than it saves.
//! Every mask is exact: a byte is marked if and only if it matches.

const ONES: u64 = 0x0101_0101_0101_0101;
pub const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight bytes from `bytes[at..]`, first byte lowest, if there are eight.
pub fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(chunk.try_into().ok()?))
}

/// The high bit of each byte of `x` that equals `b`, and no other bit
/// (exact: no carry crosses a byte).
pub fn bytes_equal(x: u64, b: u8) -> u64 {
    let y = x ^ (ONES * u64::from(b));
    !(((y & !HIGH) + !HIGH) | y) & HIGH
}

/// The high bit of each byte of `x` below `n` (`n` ≤ 0x80).
pub fn bytes_below(x: u64, n: u8) -> u64 {
    let low = x & !HIGH;
    // low + (0x80 - n) reaches 0x80 exactly when low ≥ n.
    !(low + ONES * u64::from(0x80 - n)) & !x & HIGH
}

/// The high bit of each byte of `x` in `A..=Z`.
pub fn bytes_upper(x: u64) -> u64 {
    let low = x & !HIGH;
    // low + 0x3f reaches 0x80 from 'A' on, low + 0x25 from '[' on.
    (low + ONES * 0x3f) & !(low + ONES * 0x25) & !x & HIGH
}

/// Index of the byte whose high bit is the lowest set bit of `mask`.
pub fn first_byte(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// Where the first `a` or `b` in `bytes` is: `memchr2` in plain arithmetic,
/// for the short lines of a config, with no CPU-feature probe (a `cpuid`
/// traps to the hypervisor on a VM: memchr's probe was ~0.07 ms of every run).
pub fn position2(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
    let mut at = 0;
    while let Some(x) = word_at(bytes, at) {
        let found = bytes_equal(x, a) | bytes_equal(x, b);
        if found != 0 {
            return Some(at + first_byte(found));
        }
        at += 8;
    }
    let tail = bytes[at..].iter().position(|&x| x == a || x == b)?;
    Some(at + tail)
}

/// Where the first `a` in `bytes` is ([`position2`] with one byte).
pub fn position(bytes: &[u8], a: u8) -> Option<usize> {
    position2(bytes, a, a)
}

/// Whether `bytes` holds any of the three bytes `a`, `b`, `c`.
pub fn contains3(bytes: &[u8], a: u8, b: u8, c: u8) -> bool {
    let mut at = 0;
    while let Some(x) = word_at(bytes, at) {
        if bytes_equal(x, a) | bytes_equal(x, b) | bytes_equal(x, c) != 0 {
            return true;
        }
        at += 8;
    }
    bytes[at..].iter().any(|&x| x == a || x == b || x == c)
}

/// `hay.ends_with(needle)`, comparing the last eight bytes as one word
/// first: most names that end differently differ there.
pub fn ends_with(hay: &[u8], needle: &[u8]) -> bool {
    if needle.len() > hay.len() {
        return false;
    }
    if let (Some(h_at), Some(n_at)) = (hay.len().checked_sub(8), needle.len().checked_sub(8)) {
        if word_at(hay, h_at) != word_at(needle, n_at) {
            return false;
        }
    }
    hay.ends_with(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value in every lane, against the obvious byte loop.
    #[test]
    fn masks_agree_with_byte_tests() {
        for lane in 0..8 {
            for v in 0..=255u8 {
                for fill in [0u8, b'a', 0xff, b'='] {
                    let mut word = [fill; 8];
                    word[lane] = v;
                    let x = u64::from_le_bytes(word);
                    for target in [b'=', b':', b'\n', 0, 0xff] {
                        let want: u64 = (0..8)
                            .filter(|&i| word[i] == target)
                            .map(|i| 0x80 << (8 * i))
                            .sum();
                        assert_eq!(bytes_equal(x, target), want, "{word:?} {target}");
                    }
                    let upper: u64 = (0..8)
                        .filter(|&i| word[i].is_ascii_uppercase())
                        .map(|i| 0x80 << (8 * i))
                        .sum();
                    assert_eq!(bytes_upper(x), upper, "{word:?}");
                    for n in [0x20, 0x80, 1] {
                        let below: u64 = (0..8)
                            .filter(|&i| word[i] < n)
                            .map(|i| 0x80 << (8 * i))
                            .sum();
                        assert_eq!(bytes_below(x, n), below, "{word:?} {n}");
                    }
                }
            }
        }
    }

    #[test]
    fn searches_agree_with_std() {
        let texts: [&[u8]; 7] = [
            b"",
            b"abc",
            b"profile acct-0042-ops",
            b"profile \"quoted name\"",
            b"12345678",
            b"1234567\\",
            b"sso-session it's",
        ];
        for t in texts {
            let want = t.iter().any(|b| matches!(b, b'\'' | b'"' | b'\\'));
            assert_eq!(contains3(t, b'\'', b'"', b'\\'), want, "{t:?}");
            for n in texts {
                assert_eq!(ends_with(t, n), t.ends_with(n), "{t:?} {n:?}");
            }
            for cut in 0..t.len() {
                assert!(ends_with(t, &t[cut..]));
            }
            for (a, b) in [(b'\'', b'"'), (b'1', b'8'), (b'\\', b'\\'), (b'x', b'y')] {
                let want = t.iter().position(|&x| x == a || x == b);
                assert_eq!(position2(t, a, b), want, "{t:?} {a} {b}");
                let want = t.iter().position(|&x| x == a);
                assert_eq!(position(t, a), want, "{t:?} {a}");
            }
        }
    }
}
