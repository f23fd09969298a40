import platform

import torch

import nnguide


def test_build_info_reads_the_running_versions():
    info = nnguide.build_info()
    assert info.torch == torch.__version__
    assert info.python == platform.python_version()
    assert info.nnguide == nnguide.__version__
    assert info.threads == torch.get_num_threads()


def test_summary_names_all_three_versions():
    info = nnguide.build_info()
    summary = info.summary()
    for value in (info.torch, info.python, info.nnguide):
        assert value in summary
