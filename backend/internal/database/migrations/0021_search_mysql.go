package migrations

import (
	"context"
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
)

// m0021SearchMySQL creates MariaDB/MySQL's search index: the words of each
// ticket under an InnoDB FULLTEXT index. InnoDB's built-in stop-word list
// ("de", "la", "en", "the", "for", ...) would make common French and
// English words unsearchable, so the index is created with our own, empty,
// stop-word table (InnoDB reads innodb_ft_user_stopword_table when an
// index is created). Words shorter than innodb_ft_min_token_size (3) are
// not indexed; search finds them with LIKE instead (internal/search).
func m0021SearchMySQL() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0021_search_mysql",
		Migrate: func(tx *gorm.DB) error {
			if tx.Name() != "mysql" {
				return nil
			}
			// The session variable must be set on the connection that
			// creates the index.
			err := tx.Connection(func(conn *gorm.DB) error {
				var dbName string
				if err := conn.Raw("SELECT DATABASE()").Row().Scan(&dbName); err != nil {
					return fmt.Errorf("read the database name: %w", err)
				}
				for _, q := range []string{
					"CREATE TABLE flicket_ft_stopwords (value VARCHAR(30) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
					"SET SESSION innodb_ft_user_stopword_table = '" + dbName + "/flicket_ft_stopwords'",
					`CREATE TABLE ticket_search (ticket_id BIGINT NOT NULL PRIMARY KEY, doc MEDIUMTEXT NOT NULL,
						FULLTEXT KEY ft_ticket_search_doc (doc))
						ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
					"SET SESSION innodb_ft_user_stopword_table = DEFAULT",
				} {
					if err := conn.Exec(q).Error; err != nil {
						return fmt.Errorf("create the search index: %w", err)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return createSearchState(tx)
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Name() != "mysql" {
				return nil
			}
			if err := dropSearch(tx, "ticket_search"); err != nil {
				return err
			}
			return tx.Exec("DROP TABLE IF EXISTS flicket_ft_stopwords").Error
		},
	}
}

// m0019SearchState is the one-row table saying whether the index holds
// every ticket (frozen with these migrations).
type m0019SearchState struct {
	ID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Ready bool  `gorm:"not null"`
}

func (m0019SearchState) TableName() string { return "search_state" }

// createSearchState records whether the index is complete: a small database
// is indexed here and now; a bigger one by `flicket search reindex`, so
// starting the server is not held (search answers "not ready" meanwhile).
func createSearchState(tx *gorm.DB) error {
	if err := createTables(tx, &m0019SearchState{}); err != nil {
		return err
	}
	var n int64
	if err := tx.Table("tickets").Count(&n).Error; err != nil {
		return fmt.Errorf("count tickets: %w", err)
	}
	ctx := tx.Statement.Context
	if ctx == nil {
		ctx = context.Background()
	}
	ready := n <= search.SmallDatabase
	if ready && n > 0 {
		if err := search.Rebuild(ctx, tx, nil); err != nil {
			return err
		}
	}
	if err := tx.Create(&m0019SearchState{ID: 1, Ready: ready}).Error; err != nil {
		return fmt.Errorf("write search state: %w", err)
	}
	return nil
}

// dropSearch drops the index table and the state table.
func dropSearch(tx *gorm.DB, table string) error {
	for _, t := range []string{table, "search_state"} {
		if err := tx.Exec("DROP TABLE IF EXISTS " + t).Error; err != nil {
			return fmt.Errorf("drop %s: %w", t, err)
		}
	}
	return nil
}
