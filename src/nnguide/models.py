"""Two example models, each written twice: as an ``nn.Module`` and as a pure function.

The Module keeps the state (parameters, buffers, the ``training`` flag); the function
takes that state as arguments and computes the same thing with ``torch.nn.functional``.
Both forms share one set of parameters: the dicts passed to the functions are keyed like
``named_parameters()`` and ``named_buffers()``, so ``dict(model.named_parameters())``
is a valid argument.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["MLP", "SmallCNN", "cnn_functional", "mlp_functional", "shapes_through"]


def _check_input(x: Tensor, expected: tuple[int | str, ...], min_size: int = 1) -> None:
    """Raise ``ValueError`` unless ``x`` has the shape ``expected`` describes.

    ``expected`` holds an int where a size is fixed and a letter where any size of at
    least ``min_size`` is accepted (``"N"`` accepts any batch size).
    """
    described = "(" + ", ".join(str(size) for size in expected) + ")"
    got = tuple(x.shape)
    ok = x.dim() == len(expected) and all(
        got_size == size if isinstance(size, int) else got_size >= (0 if size == "N" else min_size)
        for got_size, size in zip(got, expected, strict=False)
    )
    if not ok:
        sizes = [size for size in expected if isinstance(size, str) and size != "N"]
        condition = f" with {', '.join(sizes)} >= {min_size}" if sizes and min_size > 1 else ""
        raise ValueError(f"expected input of shape {described}{condition}, got {got}")


class MLP(nn.Module):
    r"""A two-layer perceptron: ``Linear``, ``ReLU``, ``Dropout``, ``Linear``.

    .. math::
        y = W_2\, \mathrm{dropout}_p(\max(0, W_1 x + b_1)) + b_2

    :func:`mlp_functional` computes the same output from the same parameters.

    Args:
        in_features: size of each input sample.
        hidden_features: size of the hidden layer.
        out_features: size of each output sample.
        p: probability of an element of the hidden layer to be zeroed in training.
            Default: ``0.5``.

    Shape:
        - Input: :math:`(N, H_{in})` where :math:`H_{in} = \text{in\_features}`.
        - Output: :math:`(N, H_{out})` where :math:`H_{out} = \text{out\_features}`.

    Examples:

        >>> model = MLP(in_features=20, hidden_features=64, out_features=3)
        >>> model(torch.randn(8, 20)).shape
        torch.Size([8, 3])
        >>> [name for name, _ in model.named_parameters()]
        ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
    """

    def __init__(
        self, in_features: int, hidden_features: int, out_features: int, p: float = 0.5
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(p)
        self.fc2 = nn.Linear(hidden_features, out_features)

    def forward(self, x: Tensor) -> Tensor:
        """Run the layers in order; raise ``ValueError`` on a wrong input shape."""
        _check_input(x, ("N", self.in_features))
        out: Tensor = self.fc2(self.dropout(self.relu(self.fc1(x))))
        return out


def mlp_functional(
    params: Mapping[str, Tensor],
    buffers: Mapping[str, Tensor],
    x: Tensor,
    training: bool,
    *,
    p: float = 0.5,
) -> Tensor:
    r"""Compute :class:`MLP` as a function of its parameters.

    Args:
        params: the tensors of ``MLP.named_parameters()``, under the same names.
        buffers: the tensors of ``MLP.named_buffers()``; the MLP has none, so ``{}``.
            Taken so that both example models are called the same way.
        x: the input batch.
        training: what ``model.training`` would be: dropout is applied only when ``True``.
        p: the dropout probability the Module was built with. Default: ``0.5``.

    Returns:
        The output, identical to ``MLP(...)(x)`` in the same mode and from the same seed.

    Shape:
        - Input: :math:`(N, H_{in})`, with :math:`H_{in}` the columns of ``fc1.weight``.
        - Output: :math:`(N, H_{out})`, with :math:`H_{out}` the rows of ``fc2.weight``.

    Examples:

        >>> model = MLP(20, 64, 3).eval()
        >>> x = torch.randn(8, 20)
        >>> out = mlp_functional(dict(model.named_parameters()), {}, x, training=False)
        >>> out.shape
        torch.Size([8, 3])
        >>> torch.equal(out, model(x))
        True
        >>> dict(model.named_buffers())
        {}
    """
    del buffers  # the MLP has no buffers
    _check_input(x, ("N", params["fc1.weight"].shape[1]))
    hidden = F.relu(F.linear(x, params["fc1.weight"], params["fc1.bias"]))
    hidden = F.dropout(hidden, p=p, training=training)
    return F.linear(hidden, params["fc2.weight"], params["fc2.bias"])


class SmallCNN(nn.Module):
    r"""A small image classifier: the corrected form of a classic broken ``Sequential``.

    The broken version stacks ``Conv2d`` (without its required ``kernel_size``),
    ``BatchNorm2d``, ``ReLU``, ``MaxPool2d``, ``Dropout`` and a ``Linear`` applied to a
    4-d feature map. Here the convolution has its kernel size, ``AdaptiveAvgPool2d``
    brings any image size to a fixed ``output_size`` square, ``Flatten`` turns the map into
    one vector per image, and the ``Linear`` layer's ``in_features`` is computed from the
    channels and that size rather than typed in.

    :func:`cnn_functional` computes the same output from the same parameters and buffers.
    :func:`shapes_through` lists the shape after each layer.

    Args:
        in_channels: channels of the input images. Default: ``3``.
        channels: channels produced by the convolution. Default: ``64``.
        num_classes: size of the output. Default: ``10``.
        output_size: side of the square that ``AdaptiveAvgPool2d`` pools to. Default: ``4``.
        p: dropout probability before the last layer. Default: ``0.5``.

    Shape:
        - Input: :math:`(N, C_{in}, H, W)` with :math:`H, W \ge 2`.
        - Output: :math:`(N, \text{num\_classes})`.

    Examples:

        >>> model = SmallCNN(in_channels=3, channels=16, num_classes=10)
        >>> model(torch.randn(2, 3, 32, 32)).shape
        torch.Size([2, 10])
        >>> model.fc.in_features
        256
        >>> model(torch.randn(3, 32, 32))
        Traceback (most recent call last):
          ...
        ValueError: expected input of shape (N, 3, H, W) with H, W >= 2, got (3, 32, 32)
    """

    def __init__(
        self,
        in_channels: int = 3,
        channels: int = 64,
        num_classes: int = 10,
        output_size: int = 4,
        p: float = 0.5,
    ) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.conv = nn.Conv2d(in_channels, channels, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.avgpool = nn.AdaptiveAvgPool2d(output_size)
        self.flatten = nn.Flatten()
        self.dropout = nn.Dropout(p)
        self.fc = nn.Linear(channels * output_size * output_size, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        """Run the layers in order; raise ``ValueError`` on a wrong input shape."""
        _check_input(x, ("N", self.in_channels, "H", "W"), min_size=2)
        x = self.pool(self.relu(self.bn(self.conv(x))))
        out: Tensor = self.fc(self.dropout(self.flatten(self.avgpool(x))))
        return out


def cnn_functional(
    params: Mapping[str, Tensor],
    buffers: Mapping[str, Tensor],
    x: Tensor,
    training: bool,
    *,
    output_size: int = 4,
    p: float = 0.5,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    r"""Compute :class:`SmallCNN` as a function of its parameters and buffers.

    In training, the BatchNorm buffers are updated in place exactly as the Module updates
    its own: ``bn.num_batches_tracked`` grows by one and ``F.batch_norm`` moves
    ``bn.running_mean`` and ``bn.running_var`` towards the batch statistics. In evaluation
    the running statistics normalize and nothing is updated.

    Args:
        params: the tensors of ``SmallCNN.named_parameters()``, under the same names.
        buffers: the tensors of ``SmallCNN.named_buffers()``: ``bn.running_mean``,
            ``bn.running_var`` and ``bn.num_batches_tracked``. Updated in place when
            ``training`` is ``True``.
        x: the input batch.
        training: what ``model.training`` would be: selects batch or running statistics,
            and whether dropout is applied.
        output_size: the side ``AdaptiveAvgPool2d`` pools to. Default: ``4``.
        p: the dropout probability. Default: ``0.5``.
        momentum: the BatchNorm momentum. Default: ``0.1``, as in ``nn.BatchNorm2d``.
        eps: the BatchNorm epsilon. Default: ``1e-5``, as in ``nn.BatchNorm2d``.

    Returns:
        The logits, identical to ``SmallCNN(...)(x)`` in the same mode and from the same
        seed.

    Shape:
        - Input: :math:`(N, C_{in}, H, W)` with :math:`H, W \ge 2`.
        - Output: :math:`(N, \text{num\_classes})`.

    Examples:

        >>> model = SmallCNN(channels=8)
        >>> params = dict(model.named_parameters())
        >>> buffers = {name: b.clone() for name, b in model.named_buffers()}
        >>> x = torch.randn(4, 3, 16, 16)
        >>> _ = model(x)
        >>> out = cnn_functional(params, buffers, x, training=True)
        >>> out.shape
        torch.Size([4, 10])
        >>> int(buffers["bn.num_batches_tracked"])
        1
        >>> torch.equal(buffers["bn.running_mean"], model.bn.running_mean)
        True
    """
    _check_input(x, ("N", params["conv.weight"].shape[1], "H", "W"), min_size=2)
    x = F.conv2d(x, params["conv.weight"], params["conv.bias"], padding=1)
    if training:
        buffers["bn.num_batches_tracked"].add_(1)
    x = F.batch_norm(
        x,
        buffers["bn.running_mean"],
        buffers["bn.running_var"],
        params["bn.weight"],
        params["bn.bias"],
        training=training,
        momentum=momentum,
        eps=eps,
    )
    x = F.max_pool2d(F.relu(x), kernel_size=2)
    x = torch.flatten(F.adaptive_avg_pool2d(x, output_size), start_dim=1)
    x = F.dropout(x, p=p, training=training)
    return F.linear(x, params["fc.weight"], params["fc.bias"])


def shapes_through(model: nn.Module, x: Tensor) -> list[tuple[str, tuple[int, ...]]]:
    """List the shape of the tensor coming out of each layer of ``model``.

    The model runs once in evaluation mode and without gradients, so its BatchNorm
    statistics do not change. Afterwards the model and each of its submodules get back
    their own ``training`` flag, also where a submodule's flag differed from the model's.
    Each layer is a leaf submodule, listed in the order it ran.

    Args:
        model: any Module whose leaf submodules return one tensor.
        x: an input batch for ``model``.

    Returns:
        ``("input", shape)`` followed by one ``(name, shape)`` pair per layer call.

    Examples:

        >>> for name, shape in shapes_through(SmallCNN(channels=16), torch.randn(2, 3, 32, 32)):
        ...     print(f"{name:8} {shape}")
        input    (2, 3, 32, 32)
        conv     (2, 16, 32, 32)
        bn       (2, 16, 32, 32)
        relu     (2, 16, 32, 32)
        pool     (2, 16, 16, 16)
        avgpool  (2, 16, 4, 4)
        flatten  (2, 256)
        dropout  (2, 256)
        fc       (2, 10)
    """
    shapes: list[tuple[str, tuple[int, ...]]] = [("input", tuple(x.shape))]

    handles: list[torch.utils.hooks.RemovableHandle] = []
    for name, layer in model.named_modules():
        if name and not any(True for _ in layer.children()):

            def hook(
                module: nn.Module, args: tuple[object, ...], output: Tensor, name: str = name
            ) -> None:
                shapes.append((name, tuple(output.shape)))

            handles.append(layer.register_forward_hook(hook))
    flags = [(module, module.training) for module in model.modules()]
    try:
        model.eval()
        with torch.no_grad():
            model(x)
    finally:
        for module, training in flags:
            module.training = training
        for handle in handles:
            handle.remove()
    return shapes
