//! The engine's errors as Python exceptions: `InputError` (the CLI's exit 1) and `UsageError`
//! (exit 2), both `ZonevalError`s and `ValueError`s, with the CLI's located messages. A
//! refused option is worded with the keyword argument that set it, as the CLI words it with
//! its flag.

use pyo3::create_exception;
use pyo3::prelude::*;

use zoneval_core::error::{Error, ErrorKind, Lang, OptionError, Text};
use zoneval_core::text;

create_exception!(
    _zoneval,
    ZonevalError,
    pyo3::exceptions::PyValueError,
    "Base class of zoneval's errors; `problems` lists every problem found, one string each."
);
create_exception!(
    _zoneval,
    InputError,
    ZonevalError,
    "Invalid input (data, indicator system, judgements, a path that does not exist): the \
     message names the place as file:line:col, as the CLI does."
);
create_exception!(
    _zoneval,
    UsageError,
    ZonevalError,
    "An argument outside its choices or range (the CLI's usage errors)."
);

/// The Python wording of a refused option.
fn option_text(o: &OptionError) -> Text {
    match *o {
        OptionError::Samples { max } => text!(
            "samples must be between 1 and {max}",
            "samples 应在 1 到 {max} 之间"
        ),
        OptionError::BasePoints { max } => text!(
            "samples must be between 1 and {max} base points",
            "samples 应在 1 到 {max} 之间"
        ),
        OptionError::Perturb => text!("perturb must be in [0, 1)", "perturb 应在 [0, 1) 内"),
        OptionError::Dirichlet => text!(
            "dirichlet must be a positive finite number",
            "dirichlet 必须为有限正数"
        ),
        OptionError::DirichletTooSmall { min } => text!(
            "dirichlet must be at least {min} for these weights (smaller concentrations underflow the sampler and give no spread at all)",
            "就这些权重而言，dirichlet 至少应为 {min}（更小的值会使抽样下溢，结果毫无离散）"
        ),
        OptionError::Top => text!("top must be at least 1", "top 至少为 1"),
        OptionError::SobolRange => text!(
            "range must be in (0, 1) for Sobol",
            "Sobol 的 range 应在 (0, 1) 内"
        ),
        OptionError::OatRange { max_steps: max } | OptionError::OatSteps { max } => text!(
            "range must be in (0, 10) and steps between 1 and {max}",
            "range 应在 (0, 10) 内，steps 应在 1 到 {max} 之间"
        ),
        OptionError::StabilitySteps { max } => {
            text!(
                "steps must be between 1 and {max}",
                "steps 应在 1 到 {max} 之间"
            )
        }
        OptionError::Bootstrap { max, max_draws } => text!(
            "bootstrap must be between 2 and {max}, and bootstrap × base points at most {max_draws}",
            "bootstrap 应在 2 到 {max} 之间，且 bootstrap × 基点数不能超过 {max_draws}"
        ),
        OptionError::TooManySobolFactors { max } => {
            let dims = 2 * max;
            text!(
                "at most {max} Sobol factors (the sequence has {dims} dimensions); use factors=\"criteria\"",
                "Sobol 因子最多 {max} 个（序列共 {dims} 维）；请使用 factors=\"criteria\""
            )
        }
        OptionError::SamplesFileWithMethodVariation => text!(
            "samples_file replays weight multipliers only; it cannot be combined with method variation",
            "samples_file 仅重放权重乘数，不能与方法变化同时使用"
        ),
        OptionError::SobolNormalizationVariation => text!(
            "Sobol varies the aggregation only (vary_aggregation); normalisations are not a factor",
            "Sobol 仅支持 vary_aggregation；标准化方法不作为因子"
        ),
        OptionError::YearWithoutYearColumn { year } => text!(
            "year={year}: the data has no year column",
            "year={year}：数据中没有年份列"
        ),
    }
}

/// The exception for `e`, its message rendered in `lang` (one problem per line).
pub fn to_py(py: Python<'_>, mut e: Error, lang: Lang) -> PyErr {
    if let (Some(o), Some(p)) = (&e.option, e.problems.first_mut()) {
        p.message = option_text(o);
    }
    let problems: Vec<String> = e.problems.iter().map(|p| p.render(lang)).collect();
    let msg = problems.join("\n");
    let err = match e.kind {
        ErrorKind::Input => InputError::new_err(msg),
        ErrorKind::Usage => UsageError::new_err(msg),
        ErrorKind::Failure => ZonevalError::new_err(msg),
    };
    // Best effort: the message already says everything.
    let _ = err.value(py).setattr("problems", problems);
    err
}
