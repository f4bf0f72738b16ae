//! The ten classes of Fashion-MNIST.

/// How many classes there are.
pub const NUM_CLASSES: usize = 10;

// ANCHOR: class_names
/// The name of each class; label `k` in the files means `CLASS_NAMES[k]`.
pub const CLASS_NAMES: [&str; NUM_CLASSES] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];
// ANCHOR_END: class_names

/// The name of class `label`, or `None` if it is not one of the ten.
pub fn class_name(label: u8) -> Option<&'static str> {
    CLASS_NAMES.get(usize::from(label)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_map_to_names_and_out_of_range_is_none() {
        assert_eq!(class_name(0), Some("T-shirt/top"));
        assert_eq!(class_name(9), Some("Ankle boot"));
        assert_eq!(class_name(10), None);
        let mut sorted = CLASS_NAMES.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), NUM_CLASSES, "names are distinct");
    }
}
