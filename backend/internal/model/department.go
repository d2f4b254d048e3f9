package model

// Department groups categories (features §1.5).
type Department struct {
	ID         int64
	Department string
}

// TableName pins the table name.
func (Department) TableName() string { return "departments" }
