package model

// Category belongs to a department; tickets are filed under a category
// (features §1.6).
type Category struct {
	ID           int64
	Category     string
	DepartmentID int64
}

// TableName pins the table name.
func (Category) TableName() string { return "categories" }
