"""Prints, as JSON, what a Python program uses of a jsii module and what the module offers.

    python3 python-symbols.py <module __init__.py> <module name> <program.py>

Output: {"offered": {class: {"init": [kwargs], "members": {name: return type}, "bases": [..]}},
         "used": [{"kind": ..., "owner": ..., "name": ..., "line": n}]}
"""
import ast
import json
import sys


def offered(module_path):
    tree = ast.parse(open(module_path, encoding="utf-8").read())
    classes = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        info = {"init": [], "members": {}, "bases": [b.id for b in node.bases if isinstance(b, ast.Name)]}
        for item in node.body:
            if not isinstance(item, ast.FunctionDef):
                continue
            args = item.args
            if item.name == "__init__":
                info["init"] = [a.arg for a in args.args[1:] + args.kwonlyargs]
                continue
            returns = None
            if isinstance(item.returns, ast.Constant) and isinstance(item.returns.value, str):
                returns = item.returns.value
            elif isinstance(item.returns, ast.Name):
                returns = item.returns.id
            info["members"][item.name] = {
                "returns": returns,
                "kwargs": [a.arg for a in args.args[1:] + args.kwonlyargs],
            }
        classes[node.name] = info
    return classes


def used(program_path, module_name):
    tree = ast.parse(open(program_path, encoding="utf-8").read())
    imported = set()
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == module_name:
            for alias in node.names:
                imported.add(alias.asname or alias.name)
                uses.append({"kind": "class", "owner": None, "name": alias.name, "line": node.lineno})

    # variable -> type, from `v = Cls(...)` or `v = Cls.factory(...)` (typed by the factory's return)
    variables = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            call = node.value
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in imported:
                variables[node.targets[0].id] = {"type": call.func.id}
            elif (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                  and isinstance(call.func.value, ast.Name) and call.func.value.id in imported):
                variables[node.targets[0].id] = {"factory": [call.func.value.id, call.func.attr]}

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            keywords = [k.arg for k in node.keywords if k.arg]
            if isinstance(func, ast.Name) and func.id in imported:
                for k in keywords:
                    uses.append({"kind": "kwarg", "owner": func.id, "member": "__init__", "name": k, "line": node.lineno})
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                target = func.value.id
                if target in imported:
                    uses.append({"kind": "member", "owner": target, "name": func.attr, "line": node.lineno})
                    for k in keywords:
                        uses.append({"kind": "kwarg", "owner": target, "member": func.attr, "name": k, "line": node.lineno})
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in variables:
            # method calls and attribute reads on variables holding the module's objects
            uses.append({"kind": "member", "variable": variables[node.value.id], "name": node.attr, "line": node.lineno})
    unique = {json.dumps(u, sort_keys=True): u for u in uses}
    return sorted(unique.values(), key=lambda u: (u["line"], u["name"]))


if __name__ == "__main__":
    module_path, module_name, program_path = sys.argv[1:4]
    print(json.dumps({"offered": offered(module_path), "used": used(program_path, module_name)}))
