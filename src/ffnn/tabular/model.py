"""The command line's model: a fitted estimator with the preprocessing of its table, so that
new rows of the same table can be predicted. A regression target is standardised for training
and predictions are mapped back."""

import numpy as np

from ..exceptions import DataError
from .preprocessing import Preprocessor


class TabularModel:
    """A fitted estimator together with the preprocessing of its table, as the command line
    trains and saves it. `predict(frame)` applies the stored steps, then the estimator."""

    def __init__(self, estimator, preprocessor, target, task, target_mean=0.0, target_scale=1.0):
        self.estimator = estimator
        self.preprocessor = preprocessor
        self.target = target
        self.task = task
        self.target_mean = target_mean
        self.target_scale = target_scale
        self.metrics = {}  # {"training": {name: value}, "validation": {...}}, for the record

    def state(self):
        """The target, its scaling, the preprocessing and the recorded metrics, as plain values:
        `from_state`'s input, and what model files keep besides the estimator."""
        return {"target": str(self.target), "task": self.task,
                "target_mean": float(self.target_mean), "target_scale": float(self.target_scale),
                **self.preprocessor.state(),
                "metrics": {part: dict(values) for part, values in self.metrics.items()}}

    @classmethod
    def from_state(cls, estimator, state):
        """The model that `state()` describes, around a fitted estimator; ValueError where the
        two do not agree."""
        from ..estimators import FFNNClassifier

        task = "classification" if isinstance(estimator, FFNNClassifier) else "regression"
        if state["task"] != task:
            raise ValueError(f"task must be {task!r} for {type(estimator).__name__}")
        if not (np.isfinite(state["target_mean"]) and state["target_scale"] > 0
                and np.isfinite(state["target_scale"])):
            raise ValueError("the target's mean must be finite and its scale positive")
        preprocessor = Preprocessor.from_state(state)
        if state["target"] in preprocessor.columns:
            raise ValueError(f"the target {state['target']!r} is also a feature column")
        if len(preprocessor.feature_names) != estimator.n_features_in_:
            raise ValueError(f"the columns encode {len(preprocessor.feature_names)} features but "
                             f"the network takes {estimator.n_features_in_}")
        if not set(state["metrics"]) <= {"training", "validation"}:
            raise ValueError("metrics are recorded for training and validation rows only")
        model = cls(estimator, preprocessor, state["target"], task, state["target_mean"],
                    state["target_scale"])
        model.metrics = {part: dict(values) for part, values in state["metrics"].items()}
        return model

    def features(self, frame):
        return self.preprocessor.transform(frame, self.estimator.network_.dtype)

    def predict(self, frame):
        prediction = self.estimator.predict(self.features(frame))
        if self.task == "regression":
            return prediction * self.target_scale + self.target_mean
        return prediction

    def predict_proba(self, frame):
        if self.task != "classification":
            raise DataError("probabilities exist only for classification models")
        return self.estimator.predict_proba(self.features(frame))

    @property
    def classes_(self):
        return getattr(self.estimator, "classes_", None)
