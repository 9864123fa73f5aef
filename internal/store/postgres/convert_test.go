package postgres

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConvertFitsSQLiteValuesToColumnTypes(t *testing.T) {
	tests := []struct {
		name, typ    string
		in, want     any
		wantRepaired bool
	}{
		{"integer flag to boolean", "boolean", int64(1), true, false},
		{"zero flag to boolean", "boolean", int64(0), false, false},
		{"integer to double", "double precision", int64(2), float64(2), false},
		{"blob to bytea", "bytea", []byte{0, 1}, []byte{0, 1}, false},
		{"text read as bytes", "text", []byte("abc"), "abc", false},
		{"NUL bytes dropped", "text", "a\x00b", "ab", true},
		{"invalid UTF-8 replaced", "text", "a\xffb", "a\uFFFDb", true},
		{"NULL stays NULL", "bigint", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, repaired, err := convert(tt.typ, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || repaired != tt.wantRepaired {
				t.Fatalf("repaired = %v (-want +got):\n%s", repaired, diff)
			}
		})
	}
	if _, _, err := convert("bigint", "12"); err == nil {
		t.Fatal("text into bigint converted silently")
	}
}
