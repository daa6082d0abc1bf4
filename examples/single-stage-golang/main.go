// Command myapp answers every HTTP request with a fresh request id.
package main

import (
	"fmt"
	"log"
	"net/http"

	"github.com/google/uuid"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, request %s\n", uuid.NewString())
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
