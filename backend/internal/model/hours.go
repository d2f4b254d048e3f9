package model

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Hours is a decimal number of hours with two decimals, held as hundredths so
// that sums never drift the way floats do. The columns are DECIMAL(10,2).
type Hours int64

// HoursFromFloat rounds a float to the nearest hundredth.
func HoursFromFloat(f float64) Hours { return Hours(math.Round(f * 100)) }

// Float returns the value in hours.
func (h Hours) Float() float64 { return float64(h) / 100 }

// String formats the value as a decimal with two places ("1.50").
func (h Hours) String() string {
	sign := ""
	v := int64(h)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Value stores the decimal as text, which every driver accepts for DECIMAL.
func (h Hours) Value() (driver.Value, error) { return h.String(), nil }

// Scan reads DECIMAL values whatever type the driver hands over.
func (h *Hours) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*h = 0
	case int64:
		*h = Hours(v * 100)
	case float64:
		*h = HoursFromFloat(v)
	case []byte:
		return h.parse(string(v))
	case string:
		return h.parse(v)
	default:
		return fmt.Errorf("hours: cannot scan %T", src)
	}
	return nil
}

func (h *Hours) parse(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		*h = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("hours: %w", err)
	}
	*h = HoursFromFloat(f)
	return nil
}

// MarshalJSON writes the value as a JSON number (1.5).
func (h Hours) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, h.Float(), 'f', -1, 64), nil
}
