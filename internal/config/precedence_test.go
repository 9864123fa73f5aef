package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEnricherPrecedence(t *testing.T) {
	tests := []struct {
		name, value string
		want        []string
		wantErr     string
	}{
		{"the default trusts the extractor only", "", []string{"rules/1"}, ""},
		{"names are trimmed and ranked in order", " ai-facts , rules/1,ai-summary ", []string{"ai-facts", "rules/1", "ai-summary"}, ""},
		{"a name twice is an error", "ai,rules/1,ai", nil, "listed twice"},
		{"a very long name is an error", strings.Repeat("a", 101), nil, "longer than 100"},
		{"a name no enricher can have is an error", "AI-Facts,rules/1", nil, `"AI-Facts"`},
		{"so is a built-in that does not exist", "rules/2", nil, "rules/1"},
		{"dots and underscores are names", "ai.facts_v2,rules/1", []string{"ai.facts_v2", "rules/1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := map[string]string{}
			if tt.value != "" {
				m["SCOUT_ENRICHER_PRECEDENCE"] = tt.value
			}
			c, err := Load(env(m))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), "SCOUT_ENRICHER_PRECEDENCE") || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming the variable and %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.EnricherPrecedence); diff != "" {
				t.Errorf("precedence (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnricherPrecedencePerFieldGroup(t *testing.T) {
	c, err := Load(env(map[string]string{"SCOUT_ENRICHER_PRECEDENCE": "ai,rules/1; funding = rules/1,ai ;dates=ai"}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ai", "rules/1"}, c.EnricherPrecedence); diff != "" {
		t.Errorf("default (-want +got):\n%s", diff)
	}
	want := map[string][]string{"funding": {"rules/1", "ai"}, "dates": {"ai"}}
	if diff := cmp.Diff(want, c.EnricherPrecedenceGroups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"ai;money=ai", "ai;rules/1", "ai;dates=ai;dates=rules/1", "dates=ai,ai"} {
		if _, err := Load(env(map[string]string{"SCOUT_ENRICHER_PRECEDENCE": bad})); err == nil || !strings.Contains(err.Error(), "SCOUT_ENRICHER_PRECEDENCE") {
			t.Errorf("%q: err = %v, want one naming the variable", bad, err)
		}
	}
}
