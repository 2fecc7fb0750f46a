import { Empty } from '../../components/common';

// Not built yet: this view is being written (issue 13); it says so rather than showing made-up data.
export default function NotBuilt(_props: Record<string, unknown>) {
  return <Empty>The page view is not built yet.</Empty>;
}
