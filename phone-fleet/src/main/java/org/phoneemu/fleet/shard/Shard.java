package org.phoneemu.fleet.shard;

import java.util.List;

/**
 * One of {@code count} disjoint parts of a fleet: shard {@code index} takes the contiguous block of phones
 * {@code [n*index/count, n*(index+1)/count)} of the fleet's device order. Every shard computes its own block from
 * the same list, so shards need not talk to each other, and the blocks in index order are exactly the whole fleet.
 */
public record Shard(int index, int count) {
    /** The most shards a fleet can be cut into (an Indexed Job allows far fewer completions per job anyway). */
    public static final int MAX_COUNT = 100_000;

    public Shard {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the shard count must be between 1 and " + MAX_COUNT + ", not " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("the shard index must be between 0 and " + (count - 1) + ", not " + index);
        }
    }

    /** The whole fleet as one shard. */
    public static Shard whole() {
        return new Shard(0, 1);
    }

    public boolean isWhole() {
        return count == 1;
    }

    /** Index of the first element of this shard in a list of {@code size}. */
    public int from(int size) {
        return (int) ((long) size * index / count);
    }

    /** Index after the last element of this shard in a list of {@code size}. */
    public int to(int size) {
        return (int) ((long) size * (index + 1) / count);
    }

    /** This shard's block of {@code all} (a view; may be empty when there are more shards than phones). */
    public <T> List<T> slice(List<T> all) {
        return all.subList(from(all.size()), to(all.size()));
    }

    /** {@code shard 2/4}. */
    @Override
    public String toString() {
        return "shard " + index + "/" + count;
    }
}
