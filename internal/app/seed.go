package app

import "github.com/scoutdev/scout/internal/scout"

// DefaultSources are the public funding feeds a fresh installation starts
// with, so that it does something useful at once. They are owned by the
// installation and public. SCOUT_SEED_SOURCES=false turns seeding off.
func DefaultSources() []scout.Source {
	src := func(url, title, site string, tags ...string) scout.Source {
		return scout.Source{Kind: scout.SourceFeed, URL: url, Title: title, SiteURL: site, Visibility: scout.VisibilityPublic, Tags: tags}
	}
	return []scout.Source{
		src("https://www.grants.gov/rss/GG_NewOppByCategory.xml", "Grants.gov: new opportunities by category",
			"https://www.grants.gov", "grants", "us-federal"),
		src("https://www.grants.gov/rss/GG_NewOppByAgency.xml", "Grants.gov: new opportunities by agency",
			"https://www.grants.gov", "grants", "us-federal"),
		src("https://grants.nih.gov/grants/guide/newsfeed/fundingopps.xml", "NIH Guide: funding opportunities",
			"https://grants.nih.gov/grants/guide", "grants", "research", "us-federal"),
		src("https://www.arts.gov/rss.xml", "National Endowment for the Arts",
			"https://www.arts.gov", "arts", "us-federal"),
		src("https://www.neh.gov/rss.xml", "National Endowment for the Humanities",
			"https://www.neh.gov", "humanities", "us-federal"),
	}
}
