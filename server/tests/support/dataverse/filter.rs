//! A small `$filter` language: `and or not ( )`, `eq ne gt ge lt le`, `contains startswith
//! endswith`, string literals with `''`, unquoted GUIDs, numbers, `null`, `true`/`false`,
//! `nav/prop` paths. Strings compare case-insensitively, as Dataverse does. The string
//! functions read their second argument as a SQL `LIKE` pattern, as Dataverse does: `%` any
//! run, `_` any one character, `[abc]`/`[a-z]` one of a set, `[^...]` one not in it; a
//! bracketed wildcard (`[%]`, `[_]`, `[[]`) is literal.

use std::cmp::Ordering;

use dealpane_contract::Guid;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    Text(String),
    Word(String),
}

#[derive(Debug, Clone)]
pub enum Operand {
    Path(String),
    Literal(Value),
}

#[derive(Debug, Clone)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Operand, String, Operand),
    Function(String, Operand, Operand),
}

/// Splits `filter` into tokens; string literals come back un-escaped. This is also the
/// reference reading of OData string literals the tests use.
fn tokens(filter: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = filter.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        match c {
            ' ' => at += 1,
            '(' => {
                out.push(Token::Open);
                at += 1;
            }
            ')' => {
                out.push(Token::Close);
                at += 1;
            }
            ',' => {
                out.push(Token::Comma);
                at += 1;
            }
            '\'' => {
                let (text, next) = literal(&chars, at).ok_or_else(|| {
                    format!(
                        "There is an unterminated literal at position {} in '{filter}'.",
                        chars.len()
                    )
                })?;
                out.push(Token::Text(text));
                at = next;
            }
            _ => {
                let start = at;
                while at < chars.len() && !" (),'".contains(chars[at]) {
                    at += 1;
                }
                out.push(Token::Word(chars[start..at].iter().collect()));
            }
        }
    }
    Ok(out)
}

/// The literal opening at `start` (a `'`): its text and the index after its closing quote.
pub fn literal(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut at = start + 1;
    loop {
        match chars.get(at)? {
            '\'' if chars.get(at + 1) == Some(&'\'') => {
                text.push('\'');
                at += 2;
            }
            '\'' => return Some((text, at + 1)),
            c => {
                text.push(*c);
                at += 1;
            }
        }
    }
}

pub fn parse(filter: &str, check: &dyn Fn(&str) -> Result<(), String>) -> Result<Expr, String> {
    let tokens = tokens(filter)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        check,
    };
    let expr = parser.or()?;
    if parser.at != parser.tokens.len() {
        return Err(format!(
            "Syntax error at position {} in '{filter}'.",
            parser.at
        ));
    }
    Ok(expr)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    check: &'a dyn Fn(&str) -> Result<(), String>,
}

impl Parser<'_> {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w == word)
    }

    fn next(&mut self) -> Result<Token, String> {
        let token = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or("Syntax error: the filter ends too early.")?;
        self.at += 1;
        Ok(token)
    }

    fn expect(&mut self, token: Token) -> Result<(), String> {
        let found = self.next()?;
        if found == token {
            Ok(())
        } else {
            Err(format!(
                "Syntax error: expected {token:?}, found {found:?}."
            ))
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.chain("or", Self::and, Expr::Or)
    }

    fn and(&mut self) -> Result<Expr, String> {
        self.chain("and", Self::unary, Expr::And)
    }

    /// `operand (word operand)*`, joined to the left.
    fn chain(
        &mut self,
        word: &str,
        operand: fn(&mut Self) -> Result<Expr, String>,
        join: fn(Box<Expr>, Box<Expr>) -> Expr,
    ) -> Result<Expr, String> {
        let mut left = operand(self)?;
        while self.peek_word(word) {
            self.at += 1;
            left = join(Box::new(left), Box::new(operand(self)?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_word("not") {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.tokens.get(self.at) == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or()?;
            self.expect(Token::Close)?;
            return Ok(inner);
        }
        if let Some(Token::Word(name)) = self.tokens.get(self.at).cloned() {
            if ["contains", "startswith", "endswith"].contains(&name.as_str())
                && self.tokens.get(self.at + 1) == Some(&Token::Open)
            {
                self.at += 2;
                let first = self.operand()?;
                self.expect(Token::Comma)?;
                let second = self.operand()?;
                self.expect(Token::Close)?;
                if let Operand::Literal(Value::String(pattern)) = &second {
                    check_pattern(&name, pattern)?;
                }
                return Ok(Expr::Function(name, first, second));
            }
        }
        let left = self.operand()?;
        let operator = match self.next()? {
            Token::Word(op) if ["eq", "ne", "gt", "ge", "lt", "le"].contains(&op.as_str()) => op,
            other => {
                return Err(format!(
                    "Syntax error: expected an operator, found {other:?}."
                ))
            }
        };
        let right = self.operand()?;
        Ok(Expr::Compare(left, operator, right))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        match self.next()? {
            Token::Text(text) => Ok(Operand::Literal(Value::String(text))),
            Token::Word(word) => Ok(match word.as_str() {
                "null" => Operand::Literal(Value::Null),
                "true" => Operand::Literal(Value::Bool(true)),
                "false" => Operand::Literal(Value::Bool(false)),
                _ if word.len() == 36 && Guid::parse(&word).is_ok() => {
                    Operand::Literal(Value::String(word.to_lowercase()))
                }
                _ if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                    match word.parse::<f64>() {
                        Ok(number) => Operand::Literal(serde_json::json!(number)),
                        Err(_) => Operand::Literal(Value::String(word)),
                    }
                }
                _ => {
                    (self.check)(&word)?;
                    Operand::Path(word)
                }
            }),
            other => Err(format!("Syntax error: unexpected {other:?}.")),
        }
    }
}

impl Expr {
    pub fn matches(&self, property: &dyn Fn(&str) -> Value) -> bool {
        let value = |operand: &Operand| match operand {
            Operand::Path(path) => property(path),
            Operand::Literal(value) => value.clone(),
        };
        match self {
            Expr::And(a, b) => a.matches(property) && b.matches(property),
            Expr::Or(a, b) => a.matches(property) || b.matches(property),
            Expr::Not(inner) => !inner.matches(property),
            Expr::Compare(left, operator, right) => {
                let (left, right) = (value(left), value(right));
                match operator.as_str() {
                    "eq" => equal(&left, &right),
                    "ne" => !equal(&left, &right),
                    _ if left.is_null() || right.is_null() => false,
                    op => {
                        let ordering = compare_for_order(&left, &right);
                        match op {
                            "gt" => ordering.is_gt(),
                            "ge" => ordering.is_ge(),
                            "lt" => ordering.is_lt(),
                            _ => ordering.is_le(),
                        }
                    }
                }
            }
            Expr::Function(name, haystack, needle) => {
                let (Some(haystack), Some(needle)) = (
                    value(haystack).as_str().map(str::to_lowercase),
                    value(needle).as_str().map(str::to_lowercase),
                ) else {
                    return false;
                };
                let pattern = pattern(&needle);
                let (open_start, open_end) = match name.as_str() {
                    "contains" => (true, true),
                    "startswith" => (false, true),
                    _ => (true, false),
                };
                let haystack: Vec<char> = haystack.chars().collect();
                like(&haystack, &pattern, open_start, open_end)
            }
        }
    }
}

fn equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::String(a), Value::String(b)) => a.to_lowercase() == b.to_lowercase(),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => left == right,
    }
}

/// SQL Server's order: nulls lowest, strings case-insensitive.
pub fn compare_for_order(left: &Value, right: &Value) -> Ordering {
    match (left, right) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(a), Value::String(b)) => a.to_lowercase().cmp(&b.to_lowercase()),
        _ => Ordering::Equal,
    }
}

/// Dataverse refuses the patterns that defeat its indexes: a leading `%` in `startswith`, a
/// trailing `%` in `endswith` (a bracketed `[%]` is a literal, not a wildcard).
fn check_pattern(function: &str, pattern: &str) -> Result<(), String> {
    let leading = function == "startswith" && pattern.starts_with('%');
    let trailing = function == "endswith" && pattern.ends_with('%') && !pattern.ends_with("[%]");
    if leading || trailing {
        return Err(format!(
            "The query pattern '{pattern}' is not supported: {function} cannot take a {} % \
             wildcard.",
            if leading { "leading" } else { "trailing" }
        ));
    }
    Ok(())
}

/// One element of a `LIKE` pattern.
#[derive(Debug, Clone, PartialEq)]
enum Pat {
    /// `%`: any run of characters, empty included.
    Any,
    /// `_`: any one character.
    One,
    /// `[...]` or `[^...]`: one character in (or, negated, not in) these ranges.
    Set {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Char(char),
}

/// Reads a (lowercased) `LIKE` pattern. An unclosed `[` is a literal `[`.
fn pattern(text: &str) -> Vec<Pat> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        match chars[at] {
            '%' => out.push(Pat::Any),
            '_' => out.push(Pat::One),
            '[' => {
                // The set runs to the first `]` after at least one character.
                let close = (at + 2..chars.len()).find(|&i| chars[i] == ']');
                if let Some(close) = close {
                    let mut inner = &chars[at + 1..close];
                    let negated = inner.first() == Some(&'^') && inner.len() > 1;
                    if negated {
                        inner = &inner[1..];
                    }
                    let mut ranges = Vec::new();
                    let mut i = 0;
                    while i < inner.len() {
                        if i + 2 < inner.len() && inner[i + 1] == '-' {
                            ranges.push((inner[i], inner[i + 2]));
                            i += 3;
                        } else {
                            ranges.push((inner[i], inner[i]));
                            i += 1;
                        }
                    }
                    out.push(Pat::Set { negated, ranges });
                    at = close + 1;
                    continue;
                }
                out.push(Pat::Char('['));
            }
            c => out.push(Pat::Char(c)),
        }
        at += 1;
    }
    out
}

/// Whether `text` matches `pattern`, with an implicit `%` before (`open_start`) and after it.
fn like(text: &[char], pattern: &[Pat], open_start: bool, open_end: bool) -> bool {
    let mut full = Vec::with_capacity(pattern.len() + 2);
    if open_start {
        full.push(Pat::Any);
    }
    full.extend_from_slice(pattern);
    if open_end {
        full.push(Pat::Any);
    }
    // matches[j]: the first i characters match the first j pattern elements.
    let mut matches = vec![false; full.len() + 1];
    matches[0] = true;
    for (j, element) in full.iter().enumerate() {
        if *element == Pat::Any {
            matches[j + 1] = matches[j];
        }
    }
    for &c in text {
        let mut next = vec![false; full.len() + 1];
        for (j, element) in full.iter().enumerate() {
            next[j + 1] = match element {
                Pat::Any => next[j] || matches[j + 1],
                Pat::One => matches[j],
                Pat::Char(p) => matches[j] && *p == c,
                Pat::Set { negated, ranges } => {
                    matches[j]
                        && (ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated)
                }
            };
        }
        matches = next;
    }
    matches[full.len()]
}
