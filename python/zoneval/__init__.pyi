"""Type hints of the zoneval package (see `help(zoneval)` for the documentation)."""

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import pandas as pd

__version__: str
FRAME_NAME: str

_Path = Union[str, os.PathLike[str]]
DataArg = Union[str, os.PathLike[str], pd.DataFrame, None]
ColumnsArg = Union[Mapping[str, str], str, os.PathLike[str], None]

class ZonevalError(ValueError):
    problems: List[str]

class InputError(ZonevalError): ...
class UsageError(ZonevalError): ...
class ZonevalWarning(UserWarning): ...

class Evaluation:
    @property
    def ranking(self) -> pd.DataFrame: ...
    @property
    def weights(self) -> pd.Series: ...
    @property
    def warnings(self) -> List[str]: ...
    @property
    def system(self) -> str: ...
    @property
    def year(self) -> Optional[int]: ...
    @property
    def synthetic(self) -> bool: ...
    def json(self) -> str: ...

def evaluate(
    system: Optional[_Path] = "shandong-provincial",
    data: DataArg = None,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    *,
    group_by: Sequence[str] = (),
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: Optional[Mapping[str, float]] = None,
    ahp: Optional[Mapping[str, _Path]] = None,
) -> Evaluation: ...
def monte_carlo(
    system: Optional[_Path] = "shandong-provincial",
    data: DataArg = None,
    samples: Optional[int] = 10000,
    seed: int = 1,
    perturb: float = 0.2,
    top: int = 10,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    dirichlet: Optional[float] = None,
    weights_file: Optional[_Path] = None,
    vary_normalization: Sequence[str] = (),
    vary_aggregation: Sequence[str] = (),
    drop_indicator: bool = False,
    memory_budget: int = 512,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: Optional[Mapping[str, float]] = None,
    ahp: Optional[Mapping[str, _Path]] = None,
) -> pd.DataFrame: ...
def sobol(
    system: Optional[_Path] = "shandong-provincial",
    data: DataArg = None,
    samples: int = 1024,
    seed: int = 1,
    factors: str = "criteria",
    range: float = 0.5,
    bootstrap: int = 100,
    top: Optional[int] = None,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    samples_file: Optional[_Path] = None,
    vary_aggregation: Sequence[str] = (),
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: Optional[Mapping[str, float]] = None,
    ahp: Optional[Mapping[str, _Path]] = None,
) -> Dict[str, pd.DataFrame]: ...
def oat(
    system: Optional[_Path] = "shandong-provincial",
    data: DataArg = None,
    factors: str = "criteria",
    range: float = 0.5,
    steps: int = 10,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: Optional[Mapping[str, float]] = None,
    ahp: Optional[Mapping[str, _Path]] = None,
) -> Dict[str, pd.DataFrame]: ...
def stability(
    system: Optional[_Path] = "shandong-provincial",
    data: DataArg = None,
    factors: str = "criteria",
    top: int = 10,
    steps: int = 200,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: Optional[Mapping[str, float]] = None,
    ahp: Optional[Mapping[str, _Path]] = None,
) -> Dict[str, pd.DataFrame]: ...
class Audit:
    indicators: pd.DataFrame
    criteria: pd.DataFrame
    pairs: pd.DataFrame
    flags: pd.DataFrame
    correlation: Dict[str, pd.DataFrame]
    size_column: Optional[str]
    system: str
    warnings: List[str]
    synthetic: bool
    def json(self) -> str: ...

def audit(
    system: Optional[_Path] = "shandong-provincial",
    data: DataArg = None,
    year: Optional[int] = None,
    size_column: Optional[str] = None,
    *,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    lang: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: Optional[Mapping[str, float]] = None,
    ahp: Optional[Mapping[str, _Path]] = None,
) -> Audit: ...

class Comparison:
    zones: pd.DataFrame
    spearman: pd.DataFrame
    kendall: pd.DataFrame
    methods: List[str]
    systems: bool
    warnings: List[str]
    synthetic: bool
    def json(self) -> str: ...

def compare(
    system: Optional[_Path] = None,
    data: DataArg = None,
    methods: Union[str, Sequence[str], None] = None,
    systems: Union[str, Sequence[_Path], None] = None,
    *,
    year: Optional[int] = None,
    normalization: Optional[str] = None,
    weighting: Optional[str] = None,
    aggregation: Optional[str] = None,
    encoding: Optional[str] = None,
    columns: ColumnsArg = None,
    sheet: Optional[str] = None,
    id_column: Optional[str] = None,
    name_column: Optional[str] = None,
    scope: Optional[str] = None,
    weights: Optional[Mapping[str, float]] = None,
    ahp: Optional[Mapping[str, _Path]] = None,
) -> Comparison: ...
def methods() -> List[Dict[str, Any]]: ...
def bundled() -> Dict[str, List[str]]: ...
