"""JSON <-> models, with no I/O: the generated request rules and the one validator over JSON
values, the cattrs converter that reads answers and writes models, JSON text in and out
(the standard library, or orjson), and multipart bodies.

Importing this package imports none of its modules: each is loaded by its first user.
"""
