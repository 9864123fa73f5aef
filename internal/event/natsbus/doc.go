// Package natsbus publishes Scout's outbox to NATS JetStream: it creates
// the stream on start when it is missing, maps each event type to a subject
// under a prefix (item.created → scout.item.created), sets Nats-Msg-Id to
// the outbox id so that JetStream drops the duplicates an at-least-once
// relay can send, and waits for each acknowledgement.
//
// natsbus is the only package that imports nats.go. It imports scout and
// event; the relay in event decides when rows count as relayed.
package natsbus
