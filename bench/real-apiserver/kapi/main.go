package main

import (
	"os"

	"k8s.io/component-base/cli"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	kcm "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "controller-manager" {
		os.Args = append(os.Args[:1], os.Args[2:]...)
		os.Exit(cli.Run(kcm.NewControllerManagerCommand()))
	}
	os.Exit(cli.Run(apiserver.NewAPIServerCommand()))
}
