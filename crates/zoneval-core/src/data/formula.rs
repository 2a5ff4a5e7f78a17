//! Derived-indicator formulas: a small arithmetic language over data columns.
//!
//! `fdi_actual / fdi_contracted`, `100 * (a - b) / b`, `max(x, 0)`, `` `实际利用外资` / 1e4 ``.
//! Numbers, column names (letters, digits, `_`, any non-ASCII letter such as Chinese; or any
//! text in backticks), `+ - * / ^`, comparisons `< <= > >= == !=` (1 or 0), parentheses, and
//! the functions `min`, `max`, `abs`, `sqrt`, `ln`, `log10`, `exp`, `pow`, `if(c, a, b)`.
//!
//! A hand-written parser (about 300 lines) instead of an expression crate: the grammar is tiny,
//! errors must point at a character, nesting must be bounded (a hostile formula must give an
//! error, not a stack overflow), and evaluation must report division by zero rather than
//! return inf — none of which the general-purpose crates offer together.

use std::fmt;

use crate::error::Text;
use crate::text;

/// The deepest nesting of parentheses, calls and unary operators accepted.
pub const MAX_DEPTH: usize = 64;

/// The most tokens a formula may have; with [`MAX_DEPTH`] this bounds the expression tree's
/// height, so evaluating (and dropping) it cannot overflow the stack.
pub const MAX_TOKENS: usize = 1000;

/// A parsed formula.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    /// The text as written.
    pub text: String,
    /// The column names it reads, in order of first use.
    pub vars: Vec<String>,
    expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Num(f64),
    Var(usize),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Func {
    Min,
    Max,
    Abs,
    Sqrt,
    Ln,
    Log10,
    Exp,
    Pow,
    If,
}

const FUNCS: &[(&str, Func, usize, usize)] = &[
    ("min", Func::Min, 1, usize::MAX),
    ("max", Func::Max, 1, usize::MAX),
    ("abs", Func::Abs, 1, 1),
    ("sqrt", Func::Sqrt, 1, 1),
    ("ln", Func::Ln, 1, 1),
    ("log10", Func::Log10, 1, 1),
    ("exp", Func::Exp, 1, 1),
    ("pow", Func::Pow, 2, 2),
    ("if", Func::If, 3, 3),
];

/// A parse error: what, and the character offset in the formula.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// 0-based character offset.
    pub offset: usize,
    /// What is wrong.
    pub message: Text,
}

/// An evaluation error (the caller adds zone and indicator).
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError(pub Text);

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

fn tokenize(s: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |offset, message| ParseError { offset, message };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let lit: String = chars[start..i].iter().collect();
            match lit.parse::<f64>() {
                Ok(x) if x.is_finite() => out.push((Tok::Num(x), start)),
                _ => {
                    return Err(err(
                        start,
                        text!("bad number `{lit}`", "无效的数字 `{lit}`"),
                    ));
                }
            }
        } else if c == '`' {
            let end = chars[i + 1..].iter().position(|&c| c == '`');
            let Some(len) = end else {
                return Err(err(start, text!("unclosed backtick", "反引号未闭合")));
            };
            let name: String = chars[i + 1..i + 1 + len].iter().collect();
            if name.trim().is_empty() {
                return Err(err(start, text!("empty column name", "列名为空")));
            }
            out.push((Tok::Ident(name), start));
            i += len + 2;
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), start));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op2 = ["<=", ">=", "==", "!="].into_iter().find(|o| *o == two);
            if let Some(o) = op2 {
                out.push((Tok::Op(o), start));
                i += 2;
                continue;
            }
            let tok = match c {
                '+' => Tok::Op("+"),
                '-' => Tok::Op("-"),
                '*' => Tok::Op("*"),
                '/' => Tok::Op("/"),
                '^' => Tok::Op("^"),
                '<' => Tok::Op("<"),
                '>' => Tok::Op(">"),
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                _ => {
                    return Err(err(
                        start,
                        text!("unexpected character `{c}`", "意外的字符 `{c}`"),
                    ));
                }
            };
            out.push((tok, start));
            i += 1;
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    vars: Vec<String>,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, o)| *o)
    }

    fn fail<T>(&self, message: Text) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.offset(),
            message,
        })
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(text!(
                "formula nested more than {MAX_DEPTH} levels deep",
                "公式嵌套超过 {MAX_DEPTH} 层"
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let lhs = self.additive()?;
        let op = match self.peek() {
            Some(Tok::Op("<")) => Some(Op::Lt),
            Some(Tok::Op("<=")) => Some(Op::Le),
            Some(Tok::Op(">")) => Some(Op::Gt),
            Some(Tok::Op(">=")) => Some(Op::Ge),
            Some(Tok::Op("==")) => Some(Op::Eq),
            Some(Tok::Op("!=")) => Some(Op::Ne),
            _ => None,
        };
        let out = match op {
            Some(op) => {
                self.pos += 1;
                Expr::Bin(op, Box::new(lhs), Box::new(self.additive()?))
            }
            None => lhs,
        };
        self.depth -= 1;
        Ok(out)
    }

    fn additive(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("+")) => Op::Add,
                Some(Tok::Op("-")) => Op::Sub,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(self.term()?));
        }
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("*")) => Op::Mul,
                Some(Tok::Op("/")) => Op::Div,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Some(Tok::Op("-")) => {
                self.pos += 1;
                self.enter()?;
                let e = Expr::Neg(Box::new(self.unary()?));
                self.depth -= 1;
                Ok(e)
            }
            Some(Tok::Op("+")) => {
                self.pos += 1;
                self.enter()?;
                let e = self.unary()?;
                self.depth -= 1;
                Ok(e)
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.atom()?;
        if let Some(Tok::Op("^")) = self.peek() {
            self.pos += 1;
            self.enter()?;
            let exp = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Bin(Op::Pow, Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let Some((tok, at)) = self.toks.get(self.pos).cloned() else {
            return self.fail(text!("unexpected end of formula", "公式意外结束"));
        };
        self.pos += 1;
        match tok {
            Tok::Num(x) => Ok(Expr::Num(x)),
            Tok::LParen => {
                let e = self.expr()?;
                if self.peek() != Some(&Tok::RParen) {
                    return self.fail(text!("expected `)`", "缺少 `)`"));
                }
                self.pos += 1;
                Ok(e)
            }
            Tok::Ident(name) => {
                if self.peek() == Some(&Tok::LParen) {
                    return self.call(&name, at);
                }
                let idx = match self.vars.iter().position(|v| *v == name) {
                    Some(i) => i,
                    None => {
                        self.vars.push(name);
                        self.vars.len() - 1
                    }
                };
                Ok(Expr::Var(idx))
            }
            other => {
                self.pos -= 1;
                let shown = match other {
                    Tok::Op(o) => o.to_string(),
                    Tok::RParen => ")".into(),
                    Tok::Comma => ",".into(),
                    _ => "?".into(),
                };
                self.fail(text!("unexpected `{shown}`", "意外的 `{shown}`"))
            }
        }
    }

    fn call(&mut self, name: &str, at: usize) -> Result<Expr, ParseError> {
        let Some(&(_, func, lo, hi)) = FUNCS.iter().find(|f| f.0 == name) else {
            let names: Vec<&str> = FUNCS.iter().map(|f| f.0).collect();
            let list = names.join(", ");
            return Err(ParseError {
                offset: at,
                message: text!(
                    "unknown function `{name}` (known: {list})",
                    "未知函数 `{name}`（可用：{list}）"
                ),
            });
        };
        self.enter()?;
        self.pos += 1; // '('
        let mut args = Vec::new();
        if self.peek() != Some(&Tok::RParen) {
            loop {
                args.push(self.expr()?);
                match self.peek() {
                    Some(Tok::Comma) => self.pos += 1,
                    Some(Tok::RParen) => break,
                    _ => return self.fail(text!("expected `,` or `)`", "缺少 `,` 或 `)`")),
                }
            }
        }
        self.pos += 1; // ')'
        self.depth -= 1;
        if args.len() < lo || args.len() > hi {
            let n = args.len();
            let (en, zh) = if lo == hi {
                (format!("exactly {lo}"), format!("{lo} 个"))
            } else {
                (format!("at least {lo}"), format!("至少 {lo} 个"))
            };
            return Err(ParseError {
                offset: at,
                message: text!(
                    "`{name}` takes {en} argument(s), got {n}",
                    "`{name}` 需要{zh}参数，实际 {n} 个"
                ),
            });
        }
        Ok(Expr::Call(func, args))
    }
}

impl Formula {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Formula, ParseError> {
        let toks = tokenize(text)?;
        if toks.len() > MAX_TOKENS {
            return Err(ParseError {
                offset: 0,
                message: text!(
                    "formula longer than {MAX_TOKENS} tokens",
                    "公式超过 {MAX_TOKENS} 个记号"
                ),
            });
        }
        let end = text.chars().count();
        if toks.is_empty() {
            return Err(ParseError {
                offset: 0,
                message: text!("empty formula", "公式为空"),
            });
        }
        let mut p = Parser {
            toks,
            pos: 0,
            end,
            vars: Vec::new(),
            depth: 0,
        };
        let expr = p.expr()?;
        if p.pos < p.toks.len() {
            return p.fail(text!(
                "unexpected text after the end of the expression",
                "表达式后有多余内容"
            ));
        }
        Ok(Formula {
            text: text.to_string(),
            vars: p.vars,
            expr,
        })
    }

    /// Evaluates with `get(i)` giving the value of `vars[i]` (`None` = missing). A missing
    /// input makes the result missing (`Ok(None)`); division by zero, a logarithm or square
    /// root out of domain, or a non-finite result is an error.
    pub fn eval(&self, get: &dyn Fn(usize) -> Option<f64>) -> Result<Option<f64>, EvalError> {
        let v = eval(&self.expr, get)?;
        match v {
            Some(x) if !x.is_finite() => {
                Err(EvalError(text!("result is not finite", "结果不是有限数值")))
            }
            v => Ok(v),
        }
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn eval(e: &Expr, get: &dyn Fn(usize) -> Option<f64>) -> Result<Option<f64>, EvalError> {
    macro_rules! val {
        ($e:expr) => {
            match eval($e, get)? {
                Some(x) => x,
                None => return Ok(None),
            }
        };
    }
    let domain =
        |what: &str, x: f64| EvalError(text!("{what} of {x} is undefined", "{what}（{x}）无定义"));
    let v = match e {
        Expr::Num(x) => *x,
        Expr::Var(i) => match get(*i) {
            Some(x) => x,
            None => return Ok(None),
        },
        Expr::Neg(a) => -val!(a),
        Expr::Bin(op, a, b) => {
            let (x, y) = (val!(a), val!(b));
            let bool_f = |c: bool| f64::from(u8::from(c));
            match op {
                Op::Add => x + y,
                Op::Sub => x - y,
                Op::Mul => x * y,
                Op::Div => {
                    if y == 0.0 {
                        return Err(EvalError(text!("division by zero", "除数为零")));
                    }
                    x / y
                }
                Op::Pow => {
                    let r = x.powf(y);
                    if !r.is_finite() {
                        return Err(EvalError(text!(
                            "{x}^{y} is not a finite number",
                            "{x}^{y} 不是有限数值"
                        )));
                    }
                    r
                }
                Op::Lt => bool_f(x < y),
                Op::Le => bool_f(x <= y),
                Op::Gt => bool_f(x > y),
                Op::Ge => bool_f(x >= y),
                Op::Eq => bool_f(x == y),
                Op::Ne => bool_f(x != y),
            }
        }
        Expr::Call(f, args) => match f {
            Func::If => {
                if val!(&args[0]) != 0.0 {
                    val!(&args[1])
                } else {
                    val!(&args[2])
                }
            }
            Func::Min | Func::Max => {
                let mut acc = val!(&args[0]);
                for a in &args[1..] {
                    let v = val!(a);
                    acc = if *f == Func::Min {
                        acc.min(v)
                    } else {
                        acc.max(v)
                    };
                }
                acc
            }
            Func::Abs => val!(&args[0]).abs(),
            Func::Sqrt => {
                let x = val!(&args[0]);
                if x < 0.0 {
                    return Err(domain("sqrt", x));
                }
                x.sqrt()
            }
            Func::Ln | Func::Log10 => {
                let x = val!(&args[0]);
                if x <= 0.0 {
                    return Err(domain(if *f == Func::Ln { "ln" } else { "log10" }, x));
                }
                if *f == Func::Ln { x.ln() } else { x.log10() }
            }
            Func::Exp => val!(&args[0]).exp(),
            Func::Pow => {
                let (x, y) = (val!(&args[0]), val!(&args[1]));
                x.powf(y)
            }
        },
    };
    // Every step, not only the result: `1 / exp(1000)` must not pass as 0.
    if !v.is_finite() {
        return Err(EvalError(text!(
            "an intermediate result is not finite (overflow or undefined)",
            "中间结果不是有限数值（溢出或无定义）"
        )));
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_with(f: &str, vals: &[(&str, f64)]) -> Result<Option<f64>, EvalError> {
        let f = Formula::parse(f).unwrap();
        let get = |i: usize| vals.iter().find(|(n, _)| *n == f.vars[i]).map(|(_, v)| *v);
        f.eval(&get)
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(eval_with("1 + 2 * 3", &[]).unwrap(), Some(7.0));
        assert_eq!(eval_with("(1 + 2) * 3", &[]).unwrap(), Some(9.0));
        assert_eq!(eval_with("2 ^ 3 ^ 2", &[]).unwrap(), Some(512.0));
        assert_eq!(eval_with("-2 ^ 2", &[]).unwrap(), Some(-4.0));
        assert_eq!(eval_with("10 - 4 - 3", &[]).unwrap(), Some(3.0));
        assert_eq!(eval_with("8 / 4 / 2", &[]).unwrap(), Some(1.0));
        assert_eq!(eval_with("1.5e2 + .5", &[]).unwrap(), Some(150.5));
    }

    #[test]
    fn columns_functions_and_comparisons() {
        let v = [("fdi_actual", 6.0), ("fdi_contracted", 8.0), ("外资", 2.0)];
        assert_eq!(
            eval_with("fdi_actual / fdi_contracted", &v).unwrap(),
            Some(0.75)
        );
        assert_eq!(eval_with("外资 * 2", &v).unwrap(), Some(4.0));
        assert_eq!(
            eval_with("`外资` + max(1, fdi_actual, 3)", &v).unwrap(),
            Some(8.0)
        );
        assert_eq!(
            eval_with("if(fdi_actual >= 6, 1, 0)", &v).unwrap(),
            Some(1.0)
        );
        assert_eq!(
            eval_with("min(abs(-3), sqrt(16), pow(2, 3))", &v).unwrap(),
            Some(3.0)
        );
        let f = Formula::parse("a / b + a").unwrap();
        assert_eq!(f.vars, vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn missing_input_makes_missing_result() {
        assert_eq!(eval_with("a + 1", &[]).unwrap(), None);
    }

    #[test]
    fn runtime_errors_are_reported() {
        assert!(eval_with("1 / (a - a)", &[("a", 3.0)]).is_err());
        assert!(eval_with("ln(0)", &[]).is_err());
        assert!(eval_with("sqrt(-1)", &[]).is_err());
        assert!(eval_with("10 ^ 400", &[]).is_err());
        // An overflow that a later step would hide.
        assert!(eval_with("1 / exp(1000)", &[]).is_err());
        assert!(eval_with("1 / pow(10, 400)", &[]).is_err());
        assert!(eval_with("min(a * 1e300, 1)", &[("a", 1e300)]).is_err());
        assert!(eval_with("if(1e308 * 10 > 0, 1, 0)", &[]).is_err());
    }

    #[test]
    fn parse_errors_point_at_the_character() {
        let e = Formula::parse("a + * b").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(Formula::parse("foo(1)").is_err());
        assert!(Formula::parse("(a + b").is_err());
        assert!(Formula::parse("a b").is_err());
        assert!(Formula::parse("").is_err());
        assert!(Formula::parse("a $ b").unwrap_err().offset == 2);
        assert!(Formula::parse("pow(1)").is_err());
        assert!(Formula::parse("`unclosed").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(Formula::parse(&deep).is_err());
        let neg = format!("{}1", "-".repeat(10_000));
        assert!(Formula::parse(&neg).is_err());
        let pow = vec!["2"; 5000].join("^");
        assert!(Formula::parse(&pow).is_err());
        let chain = vec!["a"; 5000].join("+");
        assert!(Formula::parse(&chain).is_err());
        let ok = format!("{}1{}", "(".repeat(30), ")".repeat(30));
        assert_eq!(
            Formula::parse(&ok).unwrap().eval(&|_| None).unwrap(),
            Some(1.0)
        );
    }
}
