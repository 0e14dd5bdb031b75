//! The subset of ConnectWise's `conditions` / `childConditions` language the sandbox understands:
//! `path op value` with `= != < <= > >= like contains in`, `AND` / `OR` / `NOT`, parentheses, strings in
//! `"…"` (`*` is the `like` wildcard), numbers, `True` / `False` / `null`, dates in `[…]`.
//! String comparisons are case-insensitive, as on ConnectWise's SQL Server collation.
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Path(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Op(&'static str),
    And,
    Or,
    Not,
    In,
    LParen,
    RParen,
    Comma,
}

/// A parsed condition.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Both sides.
    And(Box<Expr>, Box<Expr>),
    /// Either side.
    Or(Box<Expr>, Box<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// `path op literal(s)`.
    Cmp {
        path: String,
        op: &'static str,
        values: Vec<Lit>,
    },
}

/// A literal on the right-hand side.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// `"…"` or `[date]`.
    Str(String),
    /// A number.
    Num(f64),
    /// `True` / `False`.
    Bool(bool),
    /// `null`.
    Null,
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | ',' => {
                out.push(match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    _ => Tok::Comma,
                });
                i += 1;
            }
            '"' | '[' => {
                let close = if c == '"' { '"' } else { ']' };
                let start = i + 1;
                let end = chars[start..]
                    .iter()
                    .position(|&x| x == close)
                    .ok_or("unterminated literal")?
                    + start;
                out.push(Tok::Str(chars[start..end].iter().collect()));
                i = end + 1;
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('!', Some('=')) | ('<', Some('>')) => ("!=", 2),
                    ('<', Some('=')) => ("<=", 2),
                    ('>', Some('=')) => (">=", 2),
                    ('=', _) => ("=", 1),
                    ('<', _) => ("<", 1),
                    ('>', _) => (">", 1),
                    _ => return Err("bad operator".into()),
                };
                out.push(Tok::Op(op));
                i += len;
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let n: String = chars[start..i].iter().collect();
                out.push(Tok::Num(n.parse().map_err(|_| format!("bad number {n}"))?));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '/'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(match word.to_ascii_lowercase().as_str() {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    "in" => Tok::In,
                    "like" => Tok::Op("like"),
                    "contains" => Tok::Op("contains"),
                    "true" => Tok::Bool(true),
                    "false" => Tok::Bool(false),
                    "null" => Tok::Null,
                    _ => Tok::Path(word),
                });
            }
            other => return Err(format!("unexpected character {other:?}")),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Tok::Not) => Ok(Expr::Not(Box::new(self.unary()?))),
            Some(Tok::LParen) => {
                let e = self.or()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    _ => Err("missing )".into()),
                }
            }
            Some(Tok::Path(path)) => {
                let (negate, op) = match self.next() {
                    Some(Tok::Op(op)) => (false, op),
                    Some(Tok::In) => (false, "in"),
                    Some(Tok::Not) => match self.next() {
                        Some(Tok::In) => (true, "in"),
                        Some(Tok::Op("like")) => (true, "like"),
                        Some(Tok::Op("contains")) => (true, "contains"),
                        _ => return Err("expected in/like/contains after not".into()),
                    },
                    _ => return Err(format!("expected an operator after {path}")),
                };
                let values = if op == "in" {
                    self.list()?
                } else {
                    vec![self.literal()?]
                };
                let cmp = Expr::Cmp { path, op, values };
                Ok(if negate {
                    Expr::Not(Box::new(cmp))
                } else {
                    cmp
                })
            }
            other => Err(format!("unexpected {other:?}")),
        }
    }
    fn literal(&mut self) -> Result<Lit, String> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Lit::Str(s)),
            Some(Tok::Num(n)) => Ok(Lit::Num(n)),
            Some(Tok::Bool(b)) => Ok(Lit::Bool(b)),
            Some(Tok::Null) => Ok(Lit::Null),
            other => Err(format!("expected a value, got {other:?}")),
        }
    }
    fn list(&mut self) -> Result<Vec<Lit>, String> {
        if self.next() != Some(Tok::LParen) {
            return Err("expected ( after in".into());
        }
        let mut v = vec![self.literal()?];
        loop {
            match self.next() {
                Some(Tok::Comma) => v.push(self.literal()?),
                Some(Tok::RParen) => return Ok(v),
                _ => return Err("expected , or )".into()),
            }
        }
    }
}

/// Parses a conditions string.
pub fn parse(s: &str) -> Result<Expr, String> {
    let mut p = Parser {
        toks: tokenize(s)?,
        pos: 0,
    };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err("trailing input".into());
    }
    Ok(e)
}

/// Every value at `path` (`a/b/c`); arrays on the way fan out.
fn resolve<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut cur = vec![v];
    for seg in path.split('/') {
        let mut next = Vec::new();
        for c in cur {
            match c {
                Value::Object(m) => next.extend(
                    m.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(seg))
                        .map(|(_, v)| v),
                ),
                Value::Array(a) => next.extend(a.iter().filter_map(|x| x.as_object()?.get(seg))),
                _ => {}
            }
        }
        cur = next;
    }
    cur.into_iter()
        .flat_map(|v| {
            if let Value::Array(a) = v {
                a.iter().collect()
            } else {
                vec![v]
            }
        })
        .collect()
}

/// `*` wildcard match, case-insensitive.
fn like(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            pi += 1;
            mark = ti;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn cmp_one(v: &Value, op: &str, lit: &Lit) -> bool {
    use std::cmp::Ordering;
    let ord = match (v, lit) {
        (Value::String(s), Lit::Str(l)) => match op {
            "like" => return like(l, s),
            "contains" => return s.to_lowercase().contains(&l.to_lowercase()),
            _ => Some(s.to_lowercase().cmp(&l.to_lowercase())),
        },
        (Value::Number(n), Lit::Num(l)) => n.as_f64().and_then(|n| n.partial_cmp(l)),
        (Value::Bool(b), Lit::Bool(l)) => Some(b.cmp(l)),
        (Value::Null, Lit::Null) => Some(Ordering::Equal),
        _ => None,
    };
    match (op, ord) {
        ("=" | "in", Some(o)) => o == Ordering::Equal,
        ("!=", Some(o)) => o != Ordering::Equal,
        ("!=", None) => true,
        ("<", Some(o)) => o == Ordering::Less,
        ("<=", Some(o)) => o != Ordering::Greater,
        (">", Some(o)) => o == Ordering::Greater,
        (">=", Some(o)) => o != Ordering::Less,
        _ => false,
    }
}

/// Evaluates `e` against one record.
pub fn eval(e: &Expr, record: &Value) -> bool {
    match e {
        Expr::And(a, b) => eval(a, record) && eval(b, record),
        Expr::Or(a, b) => eval(a, record) || eval(b, record),
        Expr::Not(a) => !eval(a, record),
        Expr::Cmp { path, op, values } => {
            let found = resolve(record, path);
            if found.is_empty() {
                // A missing field only equals null.
                return values
                    .iter()
                    .any(|l| *l == Lit::Null && (*op == "=" || *op == "in"));
            }
            found
                .iter()
                .any(|v| values.iter().any(|l| cmp_one(v, op, l)))
        }
    }
}

fn first_path(e: &Expr) -> Option<&str> {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => first_path(a).or_else(|| first_path(b)),
        Expr::Not(a) => first_path(a),
        Expr::Cmp { path, .. } => Some(path),
    }
}

/// `childConditions`: true when **one** element of the child array satisfies the whole expression
/// (so `value like "x" AND communicationType="Email"` must hold for the same item).
pub fn eval_child(e: &Expr, record: &Value) -> bool {
    let Some(array) = first_path(e).and_then(|p| p.split('/').next()) else {
        return true;
    };
    let Some(Value::Array(items)) = record.get(array) else {
        return false;
    };
    items
        .iter()
        .any(|item| eval(e, &serde_json::json!({ array: item })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn evaluates_documented_examples() {
        let c = json!({"id": 3, "inactiveFlag": false, "company": {"id": 250},
            "communicationItems": [{"value": "555", "communicationType": "Phone"},
                                   {"value": "John.Smith@contoso.example", "communicationType": "Email"}]});
        let e = parse(r#"communicationItems/value like "john.smith@contoso.example" AND communicationItems/communicationType="Email""#).unwrap();
        assert!(eval_child(&e, &c));
        let e = parse(r#"communicationItems/value like "555" AND communicationItems/communicationType="Email""#).unwrap();
        assert!(
            !eval_child(&e, &c),
            "value and type must match on the same item"
        );
        assert!(eval(
            &parse("company/id=250 and inactiveFlag=false").unwrap(),
            &c
        ));
        assert!(eval(
            &parse("id in (1, 3) AND NOT (company/id != 250)").unwrap(),
            &c
        ));
        assert!(eval(
            &parse(r#"communicationItems/value like "*@CONTOSO.example""#).unwrap(),
            &c
        ));
        assert!(!eval(&parse("id > 3 or inactiveFlag = True").unwrap(), &c));
        assert!(parse(r#"id = "unterminated"#).is_err());
        assert!(parse("id = 1 )").is_err());
    }

    #[test]
    fn like_wildcards() {
        assert!(like("a*c", "abbbc") && like("*", "") && like("a*", "A") && !like("a*c", "abd"));
    }
}
