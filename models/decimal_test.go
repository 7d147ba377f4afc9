package models

import (
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestParseCenti(t *testing.T) {
	tests := []struct {
		in      string
		want    Centi
		wantErr string // substring of the error; "" means success
	}{
		{in: "12", want: 1200},
		{in: "12.5", want: 1250},
		{in: "12.50", want: 1250},
		{in: "12.05", want: 1205},
		{in: "0.25", want: 25},
		{in: "0.01", want: 1},
		{in: "1e2", want: 10000},
		{in: "1.5e1", want: 1500},
		{in: "1e-2", want: 1},
		{in: "12.3400", want: 1234},
		{in: " 7 ", want: 700},
		{in: "0", want: 0},
		{in: "-0", want: 0},
		{in: "-1", want: -100},   // range checks are the caller's
		{in: "-0.05", want: -5},  // sign kept exactly
		{in: "150", want: 15000}, // out of range for a percentage, still a number
		{in: "92233720368547758.07", want: math.MaxInt64},
		{in: "12.345", wantErr: "at most 2 decimals"},
		{in: "0.001", wantErr: "at most 2 decimals"},
		{in: "1e-3", wantErr: "at most 2 decimals"},
		{in: "33.333", wantErr: "at most 2 decimals"},
		{in: "92233720368547758.08", wantErr: "too large"},
		{in: "1e30", wantErr: "too large"},
		{in: "", wantErr: "must be a number"},
		{in: "   ", wantErr: "must be a number"},
		{in: "abc", wantErr: "must be a number"},
		{in: "12,5", wantErr: "must be a number"},
		{in: "1.2.3", wantErr: "must be a number"},
		{in: "12%", wantErr: "must be a number"},
		{in: "$12", wantErr: "must be a number"},
		{in: "NaN", wantErr: "must be a number"},
		{in: "Inf", wantErr: "must be a number"},
		{in: "1/0", wantErr: "must be a number"},
		{in: "true", wantErr: "must be a number"},
		{in: "null", wantErr: "must be a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCenti(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseCenti(%q) = %d, want an error containing %q", tt.in, got, tt.wantErr)
				}
				if !containsFold(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCenti(%q) error = %q, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCenti(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseCenti(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// ParseCenti promises to read decimal literals; math/big also reads
// fractions, hexadecimal, binary and underscore-separated numbers, which a
// percentage field or a units cell must not silently accept ("1/2" guests,
// "0x10" percent).
func TestParseCentiRejectsNonDecimalLiterals(t *testing.T) {
	for _, in := range []string{"1/2", "3/4", "0x10", "0X1A", "0b11", "0o17", "1_000", "0x1p4"} {
		t.Run(in, func(t *testing.T) {
			if got, err := ParseCenti(in); err == nil {
				t.Errorf("ParseCenti(%q) = %d (%s), want an error: not a decimal literal", in, got, got)
			}
		})
	}
}

func TestCentiString(t *testing.T) {
	tests := []struct {
		in   Centi
		want string
	}{
		{0, "0"},
		{1, "0.01"},
		{10, "0.1"},
		{25, "0.25"},
		{100, "1"},
		{1205, "12.05"},
		{1250, "12.5"},
		{1000000, "10000"},
		{-100, "-1"},
		{-5, "-0.05"},
		{-1250, "-12.5"},
		{math.MaxInt64, "92233720368547758.07"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Fatalf("Centi(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
			}
			b, err := json.Marshal(tt.in)
			if err != nil || string(b) != tt.want {
				t.Fatalf("json.Marshal(Centi(%d)) = %s, %v; want %s", int64(tt.in), b, err, tt.want)
			}
			back, err := ParseCenti(tt.want)
			if err != nil || back != tt.in {
				t.Fatalf("ParseCenti(String()) = %d, %v; want %d", back, err, tt.in)
			}
		})
	}
}

func TestCentiUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Centi
		wantErr bool
	}{
		{in: `12.5`, want: 1250},
		{in: `"12.5"`, want: 1250},
		{in: `90`, want: 9000},
		{in: `33.33`, want: 3333},
		{in: `1e2`, want: 10000},
		{in: `33.333`, wantErr: true},
		{in: `"33.333"`, wantErr: true},
		{in: `"abc"`, wantErr: true},
		{in: `""`, wantErr: true},
		{in: `true`, wantErr: true},
		{in: `[1]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var c Centi
			err := json.Unmarshal([]byte(tt.in), &c)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %d, want an error", tt.in, c)
				}
				return
			}
			if err != nil || c != tt.want {
				t.Fatalf("Unmarshal(%s) = %d, %v; want %d", tt.in, c, err, tt.want)
			}
		})
	}
}

func TestDivRound(t *testing.T) {
	tests := []struct {
		n, d, want int64
	}{
		{0, 7, 0},
		{4, 10, 0},
		{5, 10, 1}, // half away from zero
		{6, 10, 1},
		{14, 10, 1},
		{15, 10, 2},
		{25, 10, 3}, // not banker's rounding
		{-4, 10, 0},
		{-5, 10, -1},
		{-15, 10, -2},
		{-25, 10, -3},
		{499750, 100, 4998}, // 2.5 units × 1999 cents
		{1, 3, 0},
		{2, 3, 1},
		{-2, 3, -1},
		{50_000_000, ScaleE8, 1},
		{49_999_999, ScaleE8, 0},
		{-50_000_000, ScaleE8, -1},
	}
	for _, tt := range tests {
		if got := divRound(tt.n, tt.d); got != tt.want {
			t.Errorf("divRound(%d, %d) = %d, want %d", tt.n, tt.d, got, tt.want)
		}
	}
}

func TestFormatScaled(t *testing.T) {
	tests := []struct {
		num, den int64
		decimals int
		want     string
	}{
		{2, 3, 4, "0.6667"},
		{1, 3, 4, "0.3333"},
		{-2, 3, 4, "-0.6667"},
		{-1, 3, 4, "-0.3333"},
		{1, 2, 0, "1"},
		{-1, 2, 0, "-1"},
		{3, 2, 0, "2"},
		{-3, 2, 0, "-2"},
		{-1, 3, 0, "0"},
		{-1, 300, 2, "0"}, // rounds to zero: no "-0"
		{5, 1000, 2, "0.01"},
		{-5, 1000, 2, "-0.01"},
		{4, 1000, 2, "0"},
		{-4, 1000, 2, "0"},
		{10, 1, 2, "10"},
		{100, 1, 0, "100"},
		{125, 100, 1, "1.3"},
		{-125, 100, 1, "-1.3"},
		{12345, 100, 4, "123.45"},
		{-12345, 100, 4, "-123.45"},
		{0, 5, 4, "0"},
		{9, 10, 4, "0.9"},
		{50_000, 1_000_000_000, 4, "0.0001"},
		{49_999, 1_000_000_000, 4, "0"},
		{-50_000, 1_000_000_000, 4, "-0.0001"},
		{27_000_000, ScaleE8, 4, "0.27"},
		{117_000_000, ScaleE8, 4, "1.17"},
		{1, ScaleE8, 8, "0.00000001"},
		{math.MaxInt64, 1, 4, "9223372036854775807"},
		{math.MinInt64, 1, 0, "-9223372036854775808"},
		{math.MaxInt64, 3, 2, "3074457345618258602.33"},
	}
	for _, tt := range tests {
		if got := FormatScaled(tt.num, tt.den, tt.decimals); got != tt.want {
			t.Errorf("FormatScaled(%d, %d, %d) = %q, want %q", tt.num, tt.den, tt.decimals, got, tt.want)
		}
	}
}

// roundRat rounds r to an integer, half away from zero: the reference for
// every rounding of SPEC §3.
func roundRat(r *big.Rat) *big.Int {
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	m.Abs(m).Lsh(m, 1)
	if m.Cmp(den) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	return q
}

// asrRef is round(lead value × deals / 10^8) computed with math/big.
func asrRef(lv, dealsE8 int64) int64 {
	r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(lv), big.NewInt(dealsE8)), big.NewInt(ScaleE8))
	q := roundRat(r)
	if !q.IsInt64() {
		panic("reference out of int64")
	}
	return q.Int64()
}

func TestASRCents(t *testing.T) {
	tests := []struct {
		name      string
		lv, deals int64
		want      int64
	}{
		{"zero deals", 26000, 0, 0},
		{"zero lead value", 0, ScaleE8, 0},
		{"restaurant outside hours", 26000, 90_000_000, 23400},
		{"restaurant non_overflow 30%", 26000, 27_000_000, 7020},
		{"full deal", 12345, ScaleE8, 12345},
		{"half cent rounds up", 1, 50_000_000, 1},
		{"just under half", 1, 49_999_999, 0},
		{"1.5 rounds to 2", 3, 50_000_000, 2},
		{"2.5 rounds to 3 (away from zero, not even)", 5, 50_000_000, 3},
		{"split: hi part only", ScaleE8, 33_333_333, 33_333_333},
		{"split: hi and lo", ScaleE8 + 1, 50_000_000, 50_000_001},
		{"split: lo just below 10^8", ScaleE8 - 1, 50_000_000, 50_000_000},
		{"max lead value, full deal", MaxLeadValueCents, ScaleE8, MaxLeadValueCents},
		{"max lead value, odd deals", MaxLeadValueCents, 99_999_999, 999_999_990_000},
		{"max per-unit lead value", int64(MaxUnits) * MaxUnitPriceCents / int64(CentiOne), ScaleE8, 10_000_000_000_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ASRCents(tt.lv, tt.deals); got != tt.want {
				t.Fatalf("ASRCents(%d, %d) = %d, want %d", tt.lv, tt.deals, got, tt.want)
			}
			if ref := asrRef(tt.lv, tt.deals); ref != tt.want {
				t.Fatalf("reference asrRef(%d, %d) = %d, test table says %d", tt.lv, tt.deals, ref, tt.want)
			}
		})
	}
}

// The lead value is split at 10^8 so that lv × deals stays inside int64; the
// split must agree with exact arithmetic everywhere in the allowed range, and
// also for per-unit lead values, which may exceed MaxLeadValueCents.
func TestASRCentsMatchesBigOnRandomValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	maxPerUnit := int64(MaxUnits) * MaxUnitPriceCents / int64(CentiOne)
	ranges := []struct {
		name string
		max  int64
	}{
		{"up to MaxLeadValueCents", MaxLeadValueCents},
		{"small lead values", 1_000_000},
		{"up to max per-unit lead value", maxPerUnit},
	}
	for _, r := range ranges {
		t.Run(r.name, func(t *testing.T) {
			for i := 0; i < 20000; i++ {
				lv := rng.Int64N(r.max + 1)
				deals := rng.Int64N(ScaleE8 + 1)
				if i%4 == 0 {
					// deals are products of two percentages in hundredths
					deals = rng.Int64N(10001) * rng.Int64N(10001)
				}
				if got, want := ASRCents(lv, deals), asrRef(lv, deals); got != want {
					t.Fatalf("ASRCents(%d, %d) = %d, math/big says %d", lv, deals, got, want)
				}
			}
		})
	}
}
