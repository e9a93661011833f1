"""Prepared statements for the hot path: a Core statement compiled once, run on the cursor.

Every update runs the same handful of statements (the claim, the dialog row's load and save,
the outbox insert). Through ``Connection.execute`` each costs ~15 µs of SQLAlchemy
bookkeeping (cache lookup, execution context, result set-up, events) — more than SQLite
needs to run it. A :class:`Prepared` statement is compiled by SQLAlchemy once per dialect —
the same SQL text, the same type conversions (JSON, UTC datetimes) as ``execute`` would use
— and then handed straight to the DBAPI cursor of the connection's current transaction.

What stays with SQLAlchemy: the connection, its transaction and savepoints (begin, commit,
rollback go through the :class:`~sqlalchemy.Connection` as ever), and errors, which are
re-raised as SQLAlchemy's own (:class:`~sqlalchemy.exc.IntegrityError`,
:class:`~sqlalchemy.exc.OperationalError`…) so callers catch what they always caught.
Statements must name every value as a bind parameter (``bindparam``/``values``), so the
compiled SQL does not depend on which values are given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # parameter names in order, for "?"-style drivers
    binds: dict[str, Processor]  # parameter name → conversion to the driver's value
    fixed: dict[str, Any]  # parameters the statement itself gives a value (``version + 1``)
    columns: tuple[tuple[str, Processor | None], ...]  # result columns and their conversion


class Prepared:
    """One statement, compiled per dialect on first use; thread-safe.

    ``statement`` is the statement, or a function building it for a dialect name (for
    dialect-specific clauses such as ``ON CONFLICT``).
    """

    def __init__(self, statement: Executable | Callable[[str], Executable]) -> None:
        self._build = statement if callable(statement) else lambda _dialect: statement
        self._compiled: dict[str, _Compiled] = {}

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """Run it once; the number of rows it changed."""
        return self.send(conn, params).rowcount()

    def first(self, conn: Connection, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row of a query, as ``{column name: value}``, or None."""
        return self.send(conn, params).first()

    def run(self, conn: Connection, params: Mapping[str, Any]) -> None:
        """Run it once, wanting no result (so it may go in a :func:`pipeline`)."""
        self.send(conn, params).close()

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run it once per parameter set, in order, in one driver call (pipeline-safe)."""
        if rows:
            # One row: a plain execute (psycopg's executemany costs ~2 round trips' worth).
            many = len(rows) > 1
            self._run(conn, self._compile(conn.dialect), rows, many=many).close()

    def send(self, conn: Connection, params: Mapping[str, Any]) -> Pending:
        """Run it — inside a :func:`pipeline`, only queue it; read the result afterwards."""
        compiled = self._compile(conn.dialect)
        return Pending(self._run(conn, compiled, [params], many=False), compiled)

    # --- inside ---------------------------------------------------------------------------------
    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = _compile(self._build(dialect.name), dialect)
            self._compiled[dialect.name] = found
        return found

    @staticmethod
    def _run(
        conn: Connection, compiled: _Compiled, rows: Sequence[Mapping[str, Any]], *, many: bool
    ) -> Any:
        converted = [_driver_params(compiled, row) for row in rows]
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None, "the connection is closed"
        cursor = dbapi.cursor()
        try:
            if many:
                cursor.executemany(compiled.sql, converted)
            else:
                cursor.execute(compiled.sql, converted[0])
        except conn.dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise DBAPIError.instance(
                compiled.sql,
                converted if many else converted[0],
                exc,
                conn.dialect.loaded_dbapi.Error,
                dialect=conn.dialect,
                ismulti=many,
            ) from exc
        return cursor


class Pending:
    """A statement sent; its result is read once (after the pipeline it went in, if any)."""

    def __init__(self, cursor: Any, compiled: _Compiled) -> None:
        self._cursor = cursor
        self._compiled = compiled

    def rowcount(self) -> int:
        try:
            return int(self._cursor.rowcount)
        finally:
            self.close()

    def first(self) -> dict[str, Any] | None:
        try:
            row = self._cursor.fetchone()
        finally:
            self.close()
        return None if row is None else self._named(row)

    def all(self) -> list[dict[str, Any]]:
        """Every row, each as :meth:`first` gives one."""
        try:
            rows = self._cursor.fetchall()
        finally:
            self.close()
        return [self._named(row) for row in rows]

    def _named(self, row: Sequence[Any]) -> dict[str, Any]:
        return {
            name: (convert(value) if convert is not None else value)
            for (name, convert), value in zip(self._compiled.columns, row, strict=True)
        }

    def close(self) -> None:
        self._cursor.close()


@contextmanager
def pipeline(conn: Connection) -> Iterator[None]:
    """Statements sent inside the block travel to PostgreSQL together — one round trip
    instead of one each — and run in order; their results (:class:`Pending`) are read
    after the block, and the first error is raised as it ends. On SQLite, which has no
    round trips, statements simply run at once.

    Only :class:`Prepared` statements that want no result before the block ends belong
    inside; an ORM query would wait for its result and gain nothing.
    """
    dbapi = conn.connection.dbapi_connection
    enter = getattr(dbapi, "pipeline", None) if conn.dialect.name == "postgresql" else None
    if enter is None:
        yield
        return
    try:
        with enter():
            yield
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            "(pipeline)", None, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
        ) from exc


def insert_ignoring_conflicts(
    table: Table, columns: Sequence[str], unique: Sequence[str]
) -> Prepared:
    """``INSERT … ON CONFLICT (unique) DO NOTHING`` of ``columns``, for SQLite or PostgreSQL.

    A row that would break the unique key is skipped without an error, so the transaction
    (and, on PostgreSQL, every statement after it) stays usable; :meth:`Prepared.execute`
    returns 0 for it.
    """

    def build(dialect: str) -> Executable:
        module = postgresql if dialect == "postgresql" else sqlite
        statement = module.insert(table).values({name: bindparam(name) for name in columns})
        ignoring: Executable = statement.on_conflict_do_nothing(index_elements=list(unique))
        return ignoring

    return Prepared(build)


def _driver_params(compiled: _Compiled, row: Mapping[str, Any]) -> Any:
    binds = compiled.binds
    if compiled.fixed:
        row = {**compiled.fixed, **row}
    if compiled.positional is not None:
        return tuple(
            binds[name](row[name]) if name in binds else row[name] for name in compiled.positional
        )
    return {name: (binds[name](v) if name in binds else v) for name, v in row.items()}


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    assert isinstance(compiled, SQLCompiler)
    binds: dict[str, Processor] = {}
    fixed: dict[str, Any] = {}
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            binds[name] = process
        if not bind.required:
            fixed[name] = bind.effective_value
    columns: list[tuple[str, Processor | None]] = []
    # What a SELECT selects, or what an INSERT/UPDATE … RETURNING returns.
    for column in getattr(statement, "exported_columns", ()):
        impl = column.type.dialect_impl(dialect)
        columns.append((column.name, impl.result_processor(dialect, None)))
    order = compiled.positiontup
    positional = tuple(order) if compiled.positional and order is not None else None
    return _Compiled(compiled.string, positional, binds, fixed, tuple(columns))


class MultiRowInsert:
    """``INSERT … VALUES (…), (…) … ON CONFLICT (unique) DO NOTHING``: up to
    :attr:`MAX_ROWS` rows in one statement, in the order given (their ids follow it).

    psycopg's ``executemany`` sends one statement per row; a button press queues two rows
    (the button's answer and the reply), so one statement instead of two is a round of
    client and server work saved on every such update. One :class:`Prepared` per row count.

    With ``first`` (PostgreSQL only) the statement opens with ``WITH first AS (<that DML>)``:
    PostgreSQL runs a data-modifying ``WITH`` exactly once, whatever the insert does, so
    two writes travel as one statement.
    """

    MAX_ROWS = 16

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        unique: Sequence[str],
        *,
        first: Executable | None = None,
    ) -> None:
        self._table = table
        self._columns = tuple(columns)
        self._unique = list(unique)
        self._first = first
        self._by_count: dict[int, Prepared] = {}

    def run(
        self,
        conn: Connection,
        rows: Sequence[Mapping[str, Any]],
        first_params: Mapping[str, Any] | None = None,
    ) -> None:
        """Insert ``rows`` (may go in a :func:`pipeline`); with ``first``, at least one row and
        at most :attr:`MAX_ROWS`, and ``first_params`` are its parameters."""
        if self._first is not None:
            assert 0 < len(rows) <= self.MAX_ROWS, "a statement with a WITH takes 1–16 rows"
        for start in range(0, len(rows), self.MAX_ROWS):
            chunk = rows[start : start + self.MAX_ROWS]
            params = {
                f"{name}_{i}": row[name] for i, row in enumerate(chunk) for name in self._columns
            }
            self._for(len(chunk)).run(conn, {**(first_params or {}), **params})

    def _for(self, count: int) -> Prepared:
        found = self._by_count.get(count)
        if found is None:
            found = self._by_count[count] = Prepared(lambda dialect: self._build(dialect, count))
        return found

    def _build(self, dialect: str, count: int) -> Executable:
        module = postgresql if dialect == "postgresql" else sqlite
        values: list[dict[str, Any]] = [
            # Typed explicitly: SQLAlchemy types only the first row's values from the columns.
            {
                name: bindparam(f"{name}_{i}", type_=self._table.c[name].type)
                for name in self._columns
            }
            for i in range(count)
        ]
        statement = module.insert(self._table).values(values)
        if self._first is not None:
            assert dialect == "postgresql", "SQLite has no data-modifying WITH"
            statement = statement.add_cte(self._first.cte("first"))  # type: ignore[attr-defined]
        ignoring: Executable = statement.on_conflict_do_nothing(index_elements=self._unique)
        return ignoring
