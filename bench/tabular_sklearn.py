"""The reference of `npm run bench:tabular`: a scikit-learn pipeline on the same rows as Trainyard's job.

Reads a JSON job on stdin: { file, format, target, task, columns: [{name, type}], train, test, hidden, seed },
where `columns` are the feature columns with the types Trainyard inferred and `train`/`test` are row indices
of the file. Prints { score, seconds }: accuracy or R² on the test rows, and the fit's wall time.
Pipeline: numbers, booleans and datetimes (Unix seconds) → mean imputation with missing indicators + standard
scaling; categories → constant imputation + one-hot (unknown values ignored); then
MLPClassifier / MLPRegressor (targets standardised) with the same hidden sizes, scikit-learn's defaults otherwise.
"""
import gzip
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MISSING = ["", "NA", "N/A", "NaN", "null", "None", "?", "na", "n/a", "nan", "NULL", "none"]


def read(path, fmt):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if fmt == "csv":
        from io import BytesIO
        return pd.read_csv(BytesIO(data), sep=None, engine="python", na_values=MISSING, keep_default_na=True, dtype=str)
    if fmt == "json":
        return pd.DataFrame(json.loads(data))
    if fmt == "jsonl":
        return pd.DataFrame([json.loads(line) for line in data.splitlines() if line.strip()])
    raise SystemExit(f"format {fmt} is not supported by the reference")


def as_number(series, kind):
    if kind == "number":
        return pd.to_numeric(series, errors="coerce").astype(float)
    if kind == "boolean":
        text = series.astype(str).str.strip().str.lower()
        return text.map({"true": 1.0, "yes": 1.0, "false": 0.0, "no": 0.0}).astype(float)
    if kind == "datetime":
        times = pd.to_datetime(series, errors="coerce", utc=True, format="mixed")
        seconds = (times - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(seconds=1)
        return seconds.astype(float)
    raise ValueError(kind)


def main():
    job = json.load(sys.stdin)
    frame = read(job["file"], job["format"])
    numeric = [c["name"] for c in job["columns"] if c["type"] in ("number", "boolean", "datetime")]
    categorical = [c["name"] for c in job["columns"] if c["type"] == "category"]
    x = pd.DataFrame(index=frame.index)
    for c in job["columns"]:
        if c["type"] == "category":
            x[c["name"]] = frame[c["name"]].map(lambda v: np.nan if pd.isna(v) else str(v)).astype(object)
        elif c["name"] in numeric:
            x[c["name"]] = as_number(frame[c["name"]], c["type"])
    prepare = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="mean", add_indicator=True), StandardScaler()), numeric),
        ("categories", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"), OneHotEncoder(handle_unknown="ignore")), categorical),
    ])
    hidden = tuple(job["hidden"])
    if job["task"] == "classification":
        y = frame[job["target"]].map(str)
        model = MLPClassifier(hidden_layer_sizes=hidden, random_state=job["seed"])
    else:
        y = pd.to_numeric(frame[job["target"]], errors="coerce").astype(float)
        model = TransformedTargetRegressor(regressor=MLPRegressor(hidden_layer_sizes=hidden, random_state=job["seed"]), transformer=StandardScaler())
    pipeline = make_pipeline(prepare, model)
    train, test = job["train"], job["test"]
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(x.iloc[train], y.iloc[train])
    seconds = time.perf_counter() - started
    predicted = pipeline.predict(x.iloc[test])
    score = accuracy_score(y.iloc[test], predicted) if job["task"] == "classification" else r2_score(y.iloc[test], predicted)
    json.dump({"score": float(score), "seconds": seconds}, sys.stdout)


main()
