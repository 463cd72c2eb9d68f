//! The words of a note as Sales shows them, and back: the message cleaned and bounded, the
//! task's subject ("From Customer Service: <first words>"), and its description (the message,
//! then the case and who sent it). Listing notes reads the description back with [`parse`],
//! so both sources (and a Sales user who reads the task) see the same text.

use dealpane_contract::Guid;

pub use crate::source::writes::TASK_SUBJECT_PREFIX as SUBJECT_PREFIX;
/// How many characters of the message the subject repeats (Dataverse's subject holds 200).
const SUBJECT_WORDS_MAX_CHARS: usize = 60;
/// An agent's name, as written into the text.
pub const NAME_MAX_CHARS: usize = 100;
const SENT_TAIL: &str = " via dealpane";

/// How the agent's name appears: created as the agent, or by the application user for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorship {
    /// The record is the agent's own (agent mode), or nobody signed in.
    Own,
    /// The application user wrote it for the signed-in agent (app mode).
    OnBehalf,
}

/// Control characters removed (newlines kept, `\r\n` becomes `\n`), then trimmed.
pub fn clean(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    kept.trim().to_owned()
}

/// A one-line text (a name, a topic): tabs and newlines become spaces, other control
/// characters go, blanks are collapsed and trimmed.
pub fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    clean(&spaced)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "From Customer Service: " and the message's first words, cut at a word and marked with "…"
/// when longer.
pub fn subject(message: &str) -> String {
    let words = one_line(message);
    let mut cut = String::new();
    for word in words.split(' ') {
        let next = if cut.is_empty() {
            word.chars().count()
        } else {
            cut.chars().count() + 1 + word.chars().count()
        };
        if next > SUBJECT_WORDS_MAX_CHARS {
            if cut.is_empty() {
                cut = word.chars().take(SUBJECT_WORDS_MAX_CHARS).collect();
            }
            cut.push('…');
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    format!("{SUBJECT_PREFIX}{cut}")
}

/// The task's description: the message, a blank line, the case (if any) and who sent it.
pub fn description(message: &str, case_id: Option<Guid>, name: &str, by: Authorship) -> String {
    let mut text = format!("{message}\n\n");
    if let Some(case) = case_id {
        text.push_str(&format!("Case: {case}\n"));
    }
    text.push_str(&match by {
        Authorship::Own => format!("Sent by {name}{SENT_TAIL}"),
        Authorship::OnBehalf => format!("Sent on behalf of {name}{SENT_TAIL}"),
    });
    text
}

/// A description read back: the message, the case and the sender's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub message: String,
    pub case_id: Option<Guid>,
    pub sender: Option<String>,
}

/// Reads what [`description`] wrote; a description edited beyond recognition in Sales is all
/// message, with no case or sender.
pub fn parse(description: &str) -> Parsed {
    let whole = Parsed {
        message: description.trim().to_owned(),
        case_id: None,
        sender: None,
    };
    let Some((body, sent)) = description.trim_end().rsplit_once('\n') else {
        return whole;
    };
    let Some(sender) = sent
        .strip_suffix(SENT_TAIL)
        .and_then(|rest| {
            rest.strip_prefix("Sent on behalf of ")
                .or_else(|| rest.strip_prefix("Sent by "))
        })
        .map(str::to_owned)
    else {
        return whole;
    };
    let (body, case_id) = match body.rsplit_once('\n') {
        Some((before, line)) if line.starts_with("Case: ") => {
            match Guid::parse(&line["Case: ".len()..]) {
                Ok(case) => (before, Some(case)),
                Err(_) => (body, None),
            }
        }
        _ => (body, None),
    };
    let Some(message) = body.strip_suffix('\n') else {
        return whole;
    };
    Parsed {
        message: message.to_owned(),
        case_id,
        sender: Some(sender),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_newlines_stay() {
        assert_eq!(clean("  a\tb\u{7}c\r\nd\u{0}\n "), "abc\nd");
        assert_eq!(one_line(" Dana \n\t Agent "), "Dana Agent");
    }

    #[test]
    fn the_subject_repeats_the_first_words_bounded() {
        assert_eq!(
            subject("Wants 3 more"),
            "From Customer Service: Wants 3 more"
        );
        let long = "word ".repeat(40);
        let made = subject(&long);
        assert!(made.ends_with("word…"), "{made}");
        assert!(made.chars().count() <= SUBJECT_PREFIX.len() + SUBJECT_WORDS_MAX_CHARS + 1);
        let one_word = "x".repeat(500);
        assert_eq!(
            subject(&one_word).chars().count(),
            SUBJECT_PREFIX.len() + SUBJECT_WORDS_MAX_CHARS + 1
        );
    }

    #[test]
    fn a_description_reads_back() {
        let case = Guid::parse("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d").unwrap();
        let message = "Line one\n\nCase: not ours\nSent by Mallory via dealpane\n\nLast";
        for (case_id, by) in [(Some(case), Authorship::Own), (None, Authorship::OnBehalf)] {
            let text = description(message, case_id, "Dana Agent", by);
            assert_eq!(
                parse(&text),
                Parsed {
                    message: message.to_owned(),
                    case_id,
                    sender: Some("Dana Agent".to_owned()),
                }
            );
        }
        let edited = parse("Rewritten by the owner");
        assert_eq!(edited.message, "Rewritten by the owner");
        assert_eq!(edited.sender, None);
    }
}
