"""Checks a published release with the external validators the national catalog and the
Frictionless tools use. Exit 0 when every check passes; otherwise every failure is printed.

    python check_release.py RELEASE_DIR SHAPES_DIR
"""

import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import rdflib
from rdflib.compare import isomorphic
from frictionless import Package
from pyshacl import validate

FORMATS = {"catalog.ttl": "turtle", "catalog.rdf": "xml", "catalog.jsonld": "json-ld"}
SHAPES = ["dcat-ap_3.0.1_shapes+range.ttl", "dcatapit-shapes.ttl"]
TYPES = {"string": pa.string(), "number": pa.float64(), "integer": pa.int64()}


def logical(arrow_type: pa.DataType) -> str:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or pa.types.is_string_view(arrow_type):
        return "string"
    return str(arrow_type)


def main(release: Path, shapes_dir: Path) -> int:
    failures = []
    graphs = {}
    for name, rdf_format in FORMATS.items():
        graph = rdflib.Graph()
        graph.parse(release / name, format=rdf_format)
        graphs[name] = graph
        for shapes in SHAPES:
            shapes_graph = rdflib.Graph().parse(shapes_dir / shapes, format="turtle")
            conforms, _, text = validate(
                graph,
                shacl_graph=shapes_graph,
                inference="none",
                allow_warnings=True,
                advanced=True,
            )
            print(f"SHACL {shapes} on {name}: Conforms: {conforms}")
            if not conforms:
                failures.append(f"{name} does not conform to {shapes}:\n{text}")
    reference = graphs["catalog.ttl"]
    for name, graph in graphs.items():
        same = isomorphic(reference, graph)
        print(f"isomorphic catalog.ttl ~ {name}: {same} ({len(graph)} triples)")
        if not same:
            failures.append(f"{name} is not the same graph as catalog.ttl")

    package = Package(str(release / "datapackage.json"))
    report = package.validate()
    print(f"frictionless validate datapackage.json: valid {report.valid}")
    if not report.valid:
        failures.append(report.to_summary())

    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        csv_path = release / resource["path"]
        parquet_path = csv_path.with_suffix(".parquet")
        fields = resource["schema"]["fields"]
        schema = pa.schema([(f["name"], TYPES[f["type"]]) for f in fields])
        from_csv = pacsv.read_csv(
            csv_path,
            convert_options=pacsv.ConvertOptions(
                column_types=schema,
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=False,
            ),
        )
        from_parquet = pq.read_table(parquet_path)
        # polars writes text as Arrow string views; the logical type is what must match.
        same_schema = [(f.name, logical(f.type)) for f in from_parquet.schema] == [
            (f.name, logical(f.type)) for f in schema
        ]
        same_rows = same_schema and from_parquet.cast(schema).equals(from_csv.select(schema.names))
        print(f"pyarrow {parquet_path.name}: {from_parquet.num_rows} rows, schema {same_schema}, rows {same_rows}")
        if not same_schema:
            failures.append(f"{parquet_path.name}: schema {from_parquet.schema} differs from {schema}")
        if not same_rows:
            failures.append(f"{parquet_path.name}: rows differ from {csv_path.name}")

    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
