package main

import (
	"context"
	"fmt"

	"github.com/opencustody/custody/sqlstore"
)

// runMigrate applies the embedded migrations to an existing database and
// prints its schema version before and after.
func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := m.flags("migrate")
	db := m.dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	rep, err := sqlstore.Migrate(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "schema version before: %d\n", rep.Before)
	fmt.Fprintf(m.Stdout, "schema version after: %d\n", rep.After)
	if rep.After == rep.Before {
		fmt.Fprintf(m.Stdout, "%s is up to date (this binary's schema version is %d)\n", sqlstore.Redact(*db), rep.Binary)
	} else {
		fmt.Fprintf(m.Stdout, "migrated %s from schema version %d to %d\n", sqlstore.Redact(*db), rep.Before, rep.After)
	}
	return nil
}
