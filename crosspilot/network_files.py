"""Read stakeholder networks given as files (`networks/<pilot_id>.graphml|.gexf|.json`).

XML is parsed with defusedxml first, so DTDs, entity expansion and external entities are refused
before networkx ever sees the file. Every network becomes rows of the `nodes` and `edges` tables,
so one set of checks serves networks from tables and from files alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
import pandas as pd
from defusedxml import DefusedXmlException

from crosspilot.i18n import t
from crosspilot.problems import WARNING, Report
from crosspilot.readers import RawTable

NODE_ALIASES = {"name": "label", "type": "sector"}
EDGE_ALIASES = {"source_id": "source", "target_id": "target", "type": "relation"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _graphml(root) -> tuple[list[dict], list[dict], bool]:
    keys = {}
    for key in root.iter():
        if _local(key.tag) == "key":
            keys[key.get("id")] = (key.get("attr.name") or key.get("id"), key.get("for", "all"))
    nodes, edges, directed = [], [], False
    for graph in root.iter():
        if _local(graph.tag) != "graph":
            continue
        directed = directed or graph.get("edgedefault") == "directed"
        for element in graph:
            kind = _local(element.tag)
            data = {
                keys.get(d.get("key"), (d.get("key"), ""))[0]: (d.text or "").strip()
                for d in element
                if _local(d.tag) == "data"
            }
            if kind == "node":
                nodes.append({"node_id": element.get("id", ""), **data})
            elif kind == "edge":
                edges.append(
                    {"source": element.get("source", ""), "target": element.get("target", ""), **data}
                )
    return nodes, edges, directed


def _gexf(root) -> tuple[list[dict], list[dict], bool]:
    attributes: dict[str, str] = {}
    for element in root.iter():
        if _local(element.tag) == "attribute":
            attributes[element.get("id")] = element.get("title") or element.get("id")
    nodes, edges, directed = [], [], False
    for element in root.iter():
        kind = _local(element.tag)
        if kind == "graph":
            directed = element.get("defaultedgetype") == "directed"
        if kind not in ("node", "edge"):
            continue
        data = {}
        for value in element.iter():
            if _local(value.tag) == "attvalue":
                key = value.get("for") or value.get("id")
                data[attributes.get(key, key)] = value.get("value", "")
        if kind == "node":
            nodes.append({"node_id": element.get("id", ""), "label": element.get("label", ""), **data})
        else:
            extra = {"weight": element.get("weight")} if element.get("weight") else {}
            edges.append(
                {"source": element.get("source", ""), "target": element.get("target", ""), **extra, **data}
            )
    return nodes, edges, directed


def _node_link(data: object, file: str, report: Report) -> tuple[list[dict], list[dict], bool] | None:
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        report.add(file, t("is not node-link JSON: an object with a 'nodes' list was expected"))
        return None
    links = data.get("edges", data.get("links", []))
    if not isinstance(links, list):
        report.add(file, t("'edges' (or 'links') must be a list"))
        return None
    nodes = [
        {"node_id": str(n.get("id", "")), **{k: v for k, v in n.items() if k != "id"}}
        for n in data["nodes"]
        if isinstance(n, dict)
    ]
    edges = [
        {
            **{k: v for k, v in e.items()},
            "source": str(e.get("source", "")),
            "target": str(e.get("target", "")),
        }
        for e in links
        if isinstance(e, dict)
    ]
    return nodes, edges, bool(data.get("directed", False))


def read_network_file(
    path: Path, pilot_id: str, file: str, report: Report
) -> tuple[RawTable, RawTable] | None:
    """Nodes and edges of one network file as raw tables, each row located by node or tie."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            parsed = _node_link(json.loads(path.read_text(encoding="utf-8-sig")), file, report)
        else:
            root = SafeET.parse(str(path), forbid_dtd=True).getroot()
            parsed = _graphml(root) if suffix == ".graphml" else _gexf(root)
    except DefusedXmlException as error:
        report.add(
            file,
            t(
                "refused: the XML declares a DTD or entities ({kind}), which are not allowed for safety",
                kind=type(error).__name__,
            ),
        )
        return None
    except ParseError as error:
        report.add(file, t("is not well-formed XML ({error})", error=str(error)))
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        report.add(file, t("cannot be read ({error})", error=str(error)[:160]))
        return None
    if parsed is None:
        return None
    nodes, edges, directed = parsed
    node_frame = _frame(nodes, NODE_ALIASES, pilot_id, ("node_id", "label"))
    if "label" in node_frame:
        node_frame["label"] = node_frame["label"].where(node_frame["label"] != "", node_frame["node_id"])
    edge_frame = _frame(edges, EDGE_ALIASES, pilot_id, ("source", "target"))
    if "directed" not in edge_frame and len(edge_frame):
        edge_frame["directed"] = "true" if directed else "false"
    _check_structure(nodes, edges, file, report)
    node_table = RawTable(
        "nodes", file, node_frame, locations=[f"node {n['node_id']!r}" for n in nodes], structure_checked=True
    )
    edge_table = RawTable(
        "edges",
        file,
        edge_frame,
        locations=[f"tie {e['source']!r}–{e['target']!r}" for e in edges],
        structure_checked=True,
    )
    return node_table, edge_table


def _frame(rows: list[dict], aliases: dict[str, str], pilot_id: str, first: tuple[str, ...]) -> pd.DataFrame:
    renamed = [
        {aliases.get(k.strip().lower(), k.strip().lower()): _as_text(v) for k, v in r.items()} for r in rows
    ]
    frame = pd.DataFrame(renamed, columns=None if renamed else list(first)).fillna("")
    frame.insert(0, "pilot_id", pilot_id)
    return frame


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_structure(nodes: list[dict], edges: list[dict], file: str, report: Report) -> None:
    """Duplicate node ids, ties to undeclared nodes, self-loops: located by node and tie."""
    seen: set[str] = set()
    for node in nodes:
        if node["node_id"] in seen:
            report.add(
                file,
                t("duplicate node id {id!r}", id=node["node_id"]),
                where=f"node {node['node_id']!r}",
                kind="duplicate node",
            )
        seen.add(node["node_id"])
    for edge in edges:
        where = f"tie {edge['source']!r}–{edge['target']!r}"
        for end in ("source", "target"):
            if edge[end] not in seen:
                report.add(
                    file,
                    t("the tie's {end} {id!r} is not a node of this network", end=end, id=edge[end]),
                    where=where,
                    kind="dangling tie",
                )
        if edge["source"] == edge["target"]:
            report.add(
                file,
                t("a self-loop (a tie from a node to itself)"),
                where=where,
                severity=WARNING,
                kind="self-loop",
            )
