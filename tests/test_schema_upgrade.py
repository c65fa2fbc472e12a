"""A school's database from an earlier version upgrades: migrations written later than
another area's must cope with what that area already made."""

from __future__ import annotations

from kit.db import connect, migrate


def test_a_database_that_had_mail_in_before_the_case_blind_indexes_upgrades(app):
    db = connect(app.config["DATABASE"])
    try:
        # As the database was before kit m007: mail in had already made its email index.
        for index in ("idx_people_name_nocase", "idx_locations_names_nocase"):
            db.execute(f"DROP INDEX {index}")
        db.execute("DROP INDEX idx_equipment_tag_nocase")
        db.execute(
            "DELETE FROM _sqlite_migrations WHERE migration_set = 'kit' "
            "AND name = 'm007_case_blind_indexes_for_imports'"
        )
        migrate(db)
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"idx_people_email_nocase", "idx_people_name_nocase"} <= names
    finally:
        db.conn.close()
