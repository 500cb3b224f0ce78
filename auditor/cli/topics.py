"""Commands of the topic classifier: model train/evaluate/info, classify, label."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import click

from auditor import clock, logs
from auditor.classify import model as classify
from auditor.classify import stored as topics
from auditor.cli.base import CONTEXT, State, cli, json_option, log, outlet_ids, pass_state, short
from auditor.errors import InputError, ModelError
from auditor.table import render

# -- the topic classifier -------------------------------------------------------------------


@cli.group("model", context_settings=CONTEXT)
def model_group() -> None:
    """Train, evaluate and describe the topic classifier.

    Example: auditor model evaluate my-articles.jsonl --json
    """


@model_group.command("train", context_settings=CONTEXT)
@click.option(
    "--data",
    "files",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="FILE",
    help="More labelled JSON lines to train on.",
)
@click.option(
    "--from-store",
    is_flag=True,
    help="Also learn from the store: column articles as weak labels, people's corrections first.",
)
@click.option("--force", is_flag=True, help="Keep the new model even if it scores worse.")
@pass_state
def model_train(state: State, files: tuple[Path, ...], from_store: bool, force: bool) -> None:
    """Train on the shipped data (and more); refuse a model that is worse on held-out data.

    Example: auditor model train --from-store
    """
    store = state.store() if from_store else None
    for path in files:
        read_examples(path)  # a bad file is refused before a minute of training
    if sys.stderr.isatty():
        bar = click.progressbar(length=classify.FOLDS + 1, label="Training", file=sys.stderr)
        with bar, logs.progress_line():
            outcome = topics.train_and_compare(
                state.models(), files, store, force, progress=lambda _: bar.update(1)
            )
    else:
        outcome = topics.train_and_compare(
            state.models(),
            files,
            store,
            force,
            progress=lambda step: log.info("training: %s", step),
        )
    before = outcome.before["macro_f1"] if outcome.before else "-"
    click.echo(f"held-out macro-F1: before {before}, after {outcome.after['macro_f1']}")
    _print_scores(outcome.after)
    if not outcome.saved:
        click.echo(outcome.reason, err=True)
        sys.exit(1)
    click.echo(f"saved model {outcome.model.version} in {state.models()}")


@model_group.command("evaluate", context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option(text="One JSON object.")
@pass_state
def model_evaluate(state: State, file: Path, as_json: bool) -> None:
    """Score the model on labelled JSON lines: {"title", "summary"|"text", "label"|"labels"}.

    Example: auditor model evaluate real-articles.jsonl
    """
    examples = read_examples(file)
    result = classify.evaluate(state.model(), examples)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_scores(result)


def read_examples(path: Path) -> list[classify.Example]:
    """A person's labelled file, or an InputError naming it and what is wrong."""
    try:
        examples = classify.read_jsonl(path)
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start}); expected JSON lines") from None
    except (ModelError, OSError) as e:
        text = str(e) if str(e).startswith(str(path)) else f"{path}: {e}"
        raise InputError(text) from None
    if not examples:
        raise InputError(f"{path}: no labelled lines (expected JSON lines with a label)")
    return examples


def _print_scores(result: dict) -> None:
    click.echo(
        render(
            ("topic", "precision", "recall", "F1", "support"),
            [
                (
                    label,
                    f"{s['precision']:.3f}",
                    f"{s['recall']:.3f}",
                    f"{s['f1']:.3f}",
                    s["support"],
                )
                for label, s in result["per_label"].items()
            ],
        )
    )
    click.echo(f"macro-F1 {result['macro_f1']:.4f} over {result['items']} items")
    if "confusion" in result:
        predicted = sorted({k for row in result["confusion"].values() for k in row})
        click.echo("confusion (rows: true topic; columns: predicted)")
        click.echo(
            render(
                ("", *predicted),
                [
                    (gold, *(row.get(p, 0) for p in predicted))
                    for gold, row in result["confusion"].items()
                ],
            )
        )


@model_group.command("info", context_settings=CONTEXT)
@json_option(text="The whole sidecar as JSON.")
@pass_state
def model_info(state: State, as_json: bool) -> None:
    """Versions, thresholds, training data and scores of the current model.

    Example: auditor model info
    """
    sidecar = state.model().sidecar
    if as_json:
        click.echo(json.dumps(sidecar, ensure_ascii=False, indent=2))
        return
    for key in (
        "version",
        "trained_at",
        "sklearn_version",
        "python_version",
        "auditor_version",
        "training_items",
        "training_data_sha256",
        "thresholds",
    ):
        click.echo(f"{key}: {sidecar.get(key)}")
    for name in ("cross_validated", "heldout"):
        if name in sidecar:
            click.echo(f"{name}:")
            _print_scores(sidecar[name])


@cli.command("classify", context_settings=CONTEXT)
@click.option("--outlet", metavar="ID", help="Only this outlet's articles.")
@click.option("--all", "everything", is_flag=True, help="Classify again every article.")
@pass_state
def classify_cmd(state: State, outlet: str | None, everything: bool) -> None:
    """Tag stored articles with the columns' topics (those the current model has not seen).

    Example: auditor classify --outlet laodong
    """
    if outlet:
        outlet_ids(state, (outlet,))
    n = topics.classify_stored(state.store(), state.model(), outlet, everything)
    click.echo(f"classified {n} articles")


@cli.command("label", context_settings=CONTEXT)
@click.argument("article_id", type=int)
@click.argument("labels", nargs=-1, required=True, metavar="TOPIC...")
@click.option("--by", default=lambda: os.environ.get("USER", ""), help="Who corrects.")
@pass_state
def label_cmd(state: State, article_id: int, labels: tuple[str, ...], by: str) -> None:
    """Record a person's topics for one article; they win over the model.

    Example: auditor label 1234 thiet_che_cong_doan
    """
    try:
        chosen = topics.check_labels(labels)
    except ModelError as e:
        raise click.BadParameter(str(e), param_hint="TOPIC") from None
    state.store().correct(article_id, chosen, by, clock.utcnow())
    click.echo(f"article {article_id}: {', '.join(chosen)}")


@cli.command("review", context_settings=CONTEXT)
@click.option("--outlet", metavar="ID", help="Only this outlet's articles.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many rows."
)
@json_option(text="JSON lines, one article each.")
@pass_state
def review_cmd(state: State, outlet: str | None, limit: int, as_json: bool) -> None:
    """Articles where the model and the column disagree most, for a person to confirm.

    Filed in a column but predicted off-topic, or on a column's topic but filed in no
    column; the strongest disagreement first. Confirm each with `auditor label ID TOPIC...`.

    Example: auditor review --outlet laodong --limit 10
    """
    if outlet:
        outlet_ids(state, (outlet,))
    found = topics.disagreements(state.store().review_candidates(outlet), limit)
    if as_json:
        for d in found:
            click.echo(json.dumps(dataclasses.asdict(d), ensure_ascii=False))
        return
    if not found:
        click.echo("No disagreement between the model and the columns.")
        return
    click.echo(
        render(
            ("id", "outlet", "published", "column", "predicted", "certainty", "title", "url"),
            [
                (
                    d.article_id,
                    d.outlet_id,
                    d.published[:10],
                    ",".join(d.columns) or "-",
                    ",".join(d.predicted),
                    f"{d.strength:.2f}",
                    short(d.title, 60),
                    d.url,
                )
                for d in found
            ],
        )
    )
    click.echo(f"Confirm or correct: auditor label ID TOPIC... ({', '.join(classify.LABELS)})")
