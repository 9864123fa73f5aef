// Package event delivers the outbox: the relay loop that publishes unrelayed
// rows through a Publisher (NATS JetStream in natsbus) and marks them
// relayed only after the publisher acknowledges them; the in-process Bus
// that fans new events out to server-sent-event subscribers without ever
// waiting for a slow one; the Tail that feeds the Bus from the outbox in
// every replica; and the Keeper that announces closing deadlines and
// prunes the outbox and closed opportunities by age.
//
// event imports scout and store only. It never imports nats.go: natsbus does.
package event
