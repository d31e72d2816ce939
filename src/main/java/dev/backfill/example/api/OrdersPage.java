package dev.backfill.example.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of {@code GET /v1/orders?from=..&to=..&page=N}: {@code {"orders":[...],"nextPage":N|null}}.
 *
 * @param orders   the page's orders; null is read as none
 * @param nextPage the next page's number, or null on the last page
 */
public record OrdersPage(List<Order> orders, Integer nextPage) {

    public OrdersPage {
        orders = orders == null ? List.of() : List.copyOf(orders);
    }

    /** One order: its status and its amount in cents; other members are ignored. */
    public record Order(String status, @JsonProperty("amount_cents") long amountCents) {
    }
}
