//! How wide a line of the badge's text is, in pixels, without a font at hand.
//!
//! The badge is an SVG image: whoever shows it draws its text with a font of their own system,
//! so the server can only lay the text out from known widths. A flat "7 px per character"
//! guess, as badge services often use, leaves "Soutenir avec Obole" in bold spilling over
//! the count. These are the advance widths of DejaVu Sans Bold, the first font the badge
//! asks for (Verdana Bold, the next, is within a few per cent of it), read from the font's
//! `hmtx` table and rounded up to thousandths of an em. The badge also pins each text to
//! the width measured here (`textLength`), so a reader's fallback font is squeezed or spread
//! to fit instead of overflowing.

/// Printable ASCII, from U+0020 (space) to U+007E (`~`), in thousandths of an em.
const ASCII: [u32; 95] = [
    349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, //
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 581, //
    1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 373, 775, 638, 996, 837, 851, //
    733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 500, //
    500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688, //
    716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838,
];

/// Wider than any Latin glyph of the font (`Œ` is 1167): an unknown character never makes
/// the text overflow, at worst it leaves a little room.
const UNKNOWN: u32 = 1200;

/// The advance of one character, in thousandths of an em.
fn advance(c: char) -> u32 {
    let code = u32::from(c);
    if let Some(width) = code
        .checked_sub(0x20)
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| ASCII.get(i))
    {
        return *width;
    }
    // French letters: an accent leaves the letter's advance unchanged in this font.
    match c {
        'à' | 'â' | 'ä' => advance('a'),
        'ç' => advance('c'),
        'é' | 'è' | 'ê' | 'ë' => advance('e'),
        'î' | 'ï' => advance('i'),
        'ô' | 'ö' => advance('o'),
        'ù' | 'û' | 'ü' => advance('u'),
        'ÿ' => advance('y'),
        'À' | 'Â' | 'Ä' => advance('A'),
        'Ç' => advance('C'),
        'É' | 'È' | 'Ê' | 'Ë' => advance('E'),
        'Î' | 'Ï' => advance('I'),
        'Ô' | 'Ö' => advance('O'),
        'Ù' | 'Û' | 'Ü' => advance('U'),
        'Ÿ' => advance('Y'),
        '\u{a0}' => advance(' '),
        '\u{202f}' => 200,
        '’' => 380,
        '«' | '»' => 646,
        '–' => 500,
        '€' => 696,
        'œ' => 1095,
        'Œ' => 1167,
        _ => UNKNOWN,
    }
}

/// The width of `text` set in DejaVu Sans Bold at `size` pixels, rounded up to a pixel.
pub fn width(text: &str, size: u32) -> u32 {
    let thousandths = text.chars().map(advance).fold(0u32, u32::saturating_add);
    thousandths.saturating_mul(size).div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_the_fonts_own() {
        // O, b, o, l, e: 851 + 716 + 688 + 343 + 679 thousandths of an em, at 12 px.
        assert_eq!(width("Obole", 12), 40);
        assert_eq!(width("0123456789", 10), 70);
        assert!(width("Soutenir avec Obole", 12) > width("Tip with Obole", 12));
    }

    #[test]
    fn accents_and_unknown_characters_never_shrink_the_text() {
        assert_eq!(width("été", 12), width("ete", 12));
        assert!(width("漢", 12) >= 12, "a full-width glyph fits");
        assert_eq!(width("", 12), 0);
    }
}
