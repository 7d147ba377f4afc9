package models

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Centi is an exact fixed-point number with two decimals, held as hundredths
// (12.5 is 1250), so percentages and units never pass through floating point.
type Centi int64

// CentiOne is 1.00 in hundredths; 100% is CentiOne*100.
const CentiOne Centi = 100

// Hundred percent expressed in hundredths of a percent.
const FullPercent Centi = 100 * CentiOne

var hundred = big.NewRat(100, 1)

var decimalRE = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,2})?$`)

// ParseCenti reads a decimal literal ("12", "12.5", "0.25", "1e2") exactly and
// rejects values with more than two decimals instead of rounding them.
func ParseCenti(s string) (Centi, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("must be a number")
	}
	// Only plain decimals: big.Rat alone would also take "1/2", "0x10" and
	// "1_000", and an exponent of a million digits would cost seconds.
	if len(s) > 40 || !decimalRE.MatchString(s) {
		return 0, fmt.Errorf("must be a number with at most 2 decimals, got %q", s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fmt.Errorf("must be a number, got %q", s)
	}
	r.Mul(r, hundred)
	if !r.IsInt() {
		return 0, fmt.Errorf("must have at most 2 decimals, got %s", s)
	}
	n := r.Num()
	if !n.IsInt64() {
		return 0, fmt.Errorf("is too large: %s", s)
	}
	return Centi(n.Int64()), nil
}

// String formats the value with the fewest decimals that keep it exact
// ("12", "12.5", "0.25").
func (c Centi) String() string {
	neg := c < 0
	u := uint64(c)
	if neg {
		u = uint64(-c)
	}
	s := strconv.FormatUint(u/100, 10)
	if frac := u % 100; frac != 0 {
		f := fmt.Sprintf("%02d", frac)
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MarshalJSON writes the exact decimal as a JSON number.
func (c Centi) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalJSON accepts a JSON number (or a numeric string) with at most two decimals.
func (c *Centi) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if unq, err := strconv.Unquote(s); err == nil {
		s = unq
	}
	v, err := ParseCenti(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// divRound divides n by d (d > 0), rounding half away from zero, the one
// rounding rule of SPEC §3.
func divRound(n, d int64) int64 {
	if n >= 0 {
		return (n + d/2) / d
	}
	return -((-n + d/2) / d)
}

// FormatScaled writes num/den rounded half away from zero to the given number
// of decimals, trimming trailing zeros ("0.6667", "12.5", "3"); den must be > 0.
func FormatScaled(num, den int64, decimals int) string {
	scale := int64(1)
	for range decimals {
		scale *= 10
	}
	r := new(big.Int).Mul(big.NewInt(num), big.NewInt(scale))
	d := big.NewInt(den)
	q, m := new(big.Int).QuoRem(r, d, new(big.Int))
	// half away from zero: compare 2|m| with |d|
	m2 := new(big.Int).Abs(m)
	m2.Lsh(m2, 1)
	if m2.Cmp(new(big.Int).Abs(d)) >= 0 {
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	neg := q.Sign() < 0
	q.Abs(q)
	digits := q.String()
	if decimals > 0 {
		for len(digits) <= decimals {
			digits = "0" + digits
		}
		digits = digits[:len(digits)-decimals] + "." + digits[len(digits)-decimals:]
		digits = strings.TrimRight(strings.TrimRight(digits, "0"), ".")
	}
	if neg && digits != "0" {
		digits = "-" + digits
	}
	return digits
}
