// Package match decides when two sightings describe the same opportunity.
// It is pure: an item goes in, its candidate keys and features come out
// (Features), and two features give a link with its evidence and a
// confidence (Decide). The store persists keys and features and looks up
// candidates by key; Merge combines the facets of an opportunity's sightings
// field by field, naming the sighting each value came from.
//
// It imports only the standard library and scout.
package match
