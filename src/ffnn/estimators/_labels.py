"""Labels from a classifier network's outputs, on the client or on a worker."""


def labels_from_outputs(binarizer, P):
    """The labels of network outputs P (N × D_y) for a fitted LabelBinarizer: the likeliest
    class, or each label whose output is above ½."""
    return binarizer.inverse_transform(P.ravel() if P.shape[1] == 1 else P)
