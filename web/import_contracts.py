"""An import-linter contract: every module of a package is pure unless its name says otherwise.

Pure modules (geometry, acoustics, OSM files, statistics, exports' writers…) never import
Django, directly or through another module. Instead of a hand-kept list of pure modules —
where a new module went unchecked — the Django side is named by convention, the one
``docs/architecture.md`` describes: ``models``, ``admin``, ``apps``, ``management``,
``migrations``, ``services`` (writes), ``selectors`` (reads) and a few named modules. Every
other module, today's and tomorrow's, is checked.

Configured in ``pyproject.toml`` (``[tool.importlinter]``, ``contract_types``).
"""

from __future__ import annotations

import fnmatch
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class PureByDefaultContract(Contract):
    """Modules of ``packages`` not matching ``framework_side`` never reach ``forbidden``."""

    type_name = "pure_by_default"

    packages = fields.ListField(subfield=fields.StringField())
    framework_side = fields.ListField(subfield=fields.StringField())
    forbidden = fields.ListField(subfield=fields.StringField())

    def _on_framework_side(self, module: str) -> bool:
        return any(fnmatch.fnmatchcase(module, pattern)
                   for pattern in self.framework_side)  # type: ignore[attr-defined]

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        chains = []
        present = [f for f in self.forbidden if f in graph.modules]  # type: ignore[attr-defined]
        for package in self.packages:  # type: ignore[attr-defined]
            for module in sorted({package, *graph.find_descendants(package)}):
                if self._on_framework_side(module):
                    continue
                for forbidden in present:
                    chain = graph.find_shortest_chain(importer=module, imported=forbidden)
                    if chain:
                        chains.append(chain)
        return ContractCheck(kept=not chains, metadata={"chains": chains})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for chain in check.metadata["chains"]:
            output.print_error(" -> ".join(chain), bold=False)
            output.new_line()
        output.print("Move the Django part into a service or a selector, or name the module "
                     "after its framework role (see docs/architecture.md).")
