//! Who may see a click and the note that goes with it (PRODUCT.md flow 10).

/// The longest note, in characters (not bytes).
pub const MAX_NOTE_CHARS: usize = 280;

/// Each variant is an error code (`invalid_note`, `invalid_visibility`) and a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoteInputError {
    #[error("a note has at most 280 characters and no control characters")]
    InvalidNote,
    #[error("visibility is private, creator or public")]
    InvalidVisibility,
}

crate::domain::states::stored_enum! {
    /// Who sees a click: only its reader (the default), also the thing's owner, or everyone
    /// (`click_notes.visibility`, the API's `visibility`).
    #[derive(Default)]
    Visibility("click visibility") {
        #[default]
        Private => "private",
        Creator => "creator",
        Public => "public",
    }
}

impl Visibility {
    /// What a person typed or sent: any other text is their mistake, `invalid_visibility`.
    pub fn from_input(input: &str) -> Result<Visibility, NoteInputError> {
        Visibility::parse(input).map_err(|_| NoteInputError::InvalidVisibility)
    }
}

/// A note: trimmed, 1 to 280 characters, no control characters but line breaks (which are
/// kept as `\n`). It is plain text: pages escape it and never turn it into a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    /// `None` for an empty or blank note.
    pub fn parse(input: &str) -> Result<Option<Note>, NoteInputError> {
        let text = input.replace("\r\n", "\n");
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let valid = text.chars().count() <= MAX_NOTE_CHARS
            && !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || reorders_or_hides(c));
        if valid {
            Ok(Some(Note(text.to_owned())))
        } else {
            Err(NoteInputError::InvalidNote)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters that reorder the text around them or are invisible: bidirectional overrides
/// and isolates (which make `exe.gnp` read as `png.exe`), zero-width spaces, the word
/// joiner and its kin, the byte order mark, line and paragraph separators, interlinear
/// annotations and tags. A note shown to others carries none. Listed by hand because the
/// general category that holds most of them (Cf) also holds the zero-width joiners that
/// emoji sequences and Persian need, which are kept.
fn reorders_or_hides(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'
            | '\u{200E}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// What the reader chose for one click.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoteChoice {
    pub visibility: Visibility,
    pub note: Option<Note>,
}

impl NoteChoice {
    /// From the request's optional fields; no visibility means private.
    pub fn parse(
        visibility: Option<&str>,
        note: Option<&str>,
    ) -> Result<NoteChoice, NoteInputError> {
        Ok(NoteChoice {
            visibility: visibility
                .map(Visibility::from_input)
                .transpose()?
                .unwrap_or_default(),
            note: note.map(Note::parse).transpose()?.flatten(),
        })
    }

    /// A private click without a note needs no row.
    pub fn is_default(&self) -> bool {
        *self == NoteChoice::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_counts_characters_not_bytes() {
        let accents = "é".repeat(MAX_NOTE_CHARS);
        assert!(Note::parse(&accents).is_ok());
        assert_eq!(
            Note::parse(&"é".repeat(MAX_NOTE_CHARS + 1)),
            Err(NoteInputError::InvalidNote)
        );
    }

    #[test]
    fn a_note_is_trimmed_and_blank_is_none() {
        assert_eq!(Note::parse("  \n "), Ok(None));
        assert_eq!(
            Note::parse(" merci\r\nbeaucoup ").map(|n| n.map(|n| n.0)),
            Ok(Some("merci\nbeaucoup".to_owned()))
        );
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(Note::parse("a\u{0}b"), Err(NoteInputError::InvalidNote));
        assert_eq!(Note::parse("a\u{1b}[31m"), Err(NoteInputError::InvalidNote));
    }

    #[test]
    fn text_that_reorders_or_hides_itself_is_refused_but_joiners_stay() {
        for hostile in [
            "\u{202E}gnp.exe",
            "a\u{2066}b\u{2069}",
            "x\u{200B}y",
            "\u{FEFF}merci",
            "a\u{2028}b",
        ] {
            assert_eq!(
                Note::parse(hostile),
                Err(NoteInputError::InvalidNote),
                "{hostile:?}"
            );
        }
        assert!(Note::parse("👩\u{200D}💻 merci").is_ok_and(|n| n.is_some()));
        assert!(Note::parse("می\u{200C}خواهم").is_ok_and(|n| n.is_some()));
    }

    #[test]
    fn visibility_is_one_of_three_words() {
        assert_eq!(Visibility::from_input("public"), Ok(Visibility::Public));
        assert_eq!(
            Visibility::from_input("Public"),
            Err(NoteInputError::InvalidVisibility)
        );
        assert_eq!(NoteChoice::parse(None, None), Ok(NoteChoice::default()));
    }
}
