"""The command line's model: a fitted estimator with the preprocessing of its table, so that
new rows of the same table can be predicted. A regression target is standardised for training
and predictions are mapped back."""

from ..exceptions import DataError


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
