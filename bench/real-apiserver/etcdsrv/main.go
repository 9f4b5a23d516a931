package main

import (
	"log"
	"os"
	"os/signal"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	cfg := embed.NewConfig()
	cfg.Dir = os.Args[1]
	cfg.UnsafeNoFsync = len(os.Args) > 2 && os.Args[2] == "nofsync"
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatal(err)
	}
	<-e.Server.ReadyNotify()
	log.Printf("etcd ready on %v", cfg.ListenClientUrls)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	select {
	case <-sig:
	case err := <-e.Err():
		log.Fatal(err)
	}
	e.Close()
}
